package hoist.engine.crypt;

import hoist.engine.compress.Compression;
import hoist.engine.image.Descriptor;

import java.util.List;

/**
 * What a copy does about encryption: the recipients layers are encrypted for and which layers
 * ({@code --encryption-key}, {@code --encrypt-layer}), and the keys encrypted layers are decrypted
 * with ({@code --decryption-key}).
 *
 * @param recipients who new encrypted layers are for; null: nothing is encrypted
 * @param layers     indices of the layers to encrypt, negative ones from the end (-1 the last);
 *                   null or empty: every layer. Indices outside the image are ignored, as skopeo does.
 * @param keys       keys for encrypted source layers; null: encrypted layers are copied as they are
 */
public record LayerCrypto(EncryptionRecipients recipients, List<Integer> layers, DecryptionKeys keys) {

    /** No encryption, no decryption. */
    public static final LayerCrypto NONE = new LayerCrypto(null, null, null);

    public LayerCrypto {
        layers = layers == null ? List.of() : List.copyOf(layers);
    }

    /** Whether any layer may be encrypted, which needs an OCI manifest. */
    public boolean encrypts() {
        return recipients != null;
    }

    /** Whether layer {@code index} of {@code count} is to be encrypted (a layer already encrypted never is). */
    public boolean encryptsLayer(Descriptor layer, int index, int count) {
        if (recipients == null || EncryptedMediaTypes.isEncrypted(layer.mediaType()) && !decryptsLayer(layer)) {
            return false;
        }
        if (layers.isEmpty()) {
            return true;
        }
        for (int i : layers) {
            if (i == index || (i < 0 && i + count == index)) {
                return true;
            }
        }
        return false;
    }

    /** Whether {@code layer} is encrypted and keys were given to decrypt it. */
    public boolean decryptsLayer(Descriptor layer) {
        return keys != null && EncryptedMediaTypes.isEncrypted(layer.mediaType());
    }

    /**
     * The layer as the copy plans it: an encrypted layer that is decrypted is planned as the plain
     * layer inside (its media type without {@code +encrypted}, without the encryption annotations).
     */
    public Descriptor planned(Descriptor layer) {
        if (!decryptsLayer(layer)) {
            return layer;
        }
        return layer.withMediaType(EncryptedMediaTypes.decrypted(layer.mediaType()))
                .withAnnotations(LayerAnnotations.withoutEncryption(layer.annotations()));
    }

    /**
     * The one place that chooses the compression of a layer about to be encrypted: zstd:chunked
     * degrades to zstd, since its table of contents would be read from a layer nobody can read
     * without the key; every other compression stays.
     */
    public static Compression compressionWhenEncrypted(Compression wanted) {
        return wanted == null ? null : wanted.forEncryptedLayer();
    }

    /**
     * The encryption work for one layer of a copy, made once and shared by every destination.
     *
     * @param source  the source's descriptor of the layer
     * @param decrypt whether the source layer is decrypted first
     * @param encrypt whether the result is encrypted
     * @param what    names the layer in errors ({@code layer sha256:... of SOURCE})
     * @return null when neither is asked
     * @throws hoist.engine.HoistException when the layer is to be decrypted and none of the keys opens it
     */
    public LayerCryptStep stepFor(Descriptor source, boolean decrypt, boolean encrypt, String what) {
        if (!decrypt && !encrypt) {
            return null;
        }
        return new LayerCryptStep(decrypt ? LayerDecryption.open(source, keys, what) : null,
                encrypt ? new LayerEncryption(recipients) : null, what);
    }

}
