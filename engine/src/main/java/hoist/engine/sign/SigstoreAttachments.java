package hoist.engine.sign;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import hoist.engine.image.Descriptor;
import hoist.engine.image.Digest;
import hoist.engine.image.ImageManifest;
import hoist.engine.image.ManifestFormat;
import hoist.engine.image.MediaTypes;
import hoist.engine.transport.BlobInfo;
import hoist.engine.transport.DockerReference;
import hoist.engine.transport.ImageDestination;
import hoist.engine.transport.RawManifest;
import hoist.engine.transport.TransportContext;
import hoist.engine.transport.Transports;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Sigstore signatures attached to an image in its registry, as cosign and containers/image keep
 * them: an OCI image manifest tagged {@code sha256-HEX.sig} (HEX the signed manifest's digest)
 * whose layers are the signature payloads, each with its signature in an annotation.
 *
 * @see <a href="https://github.com/sigstore/cosign/blob/main/specs/SIGNATURE_SPEC.md">cosign's signature specification</a>
 */
public final class SigstoreAttachments {

    private static final ObjectMapper JSON = new ObjectMapper();

    private SigstoreAttachments() {
    }

    /** The tag the signatures of {@code manifest} are attached under: {@code sha256-HEX.sig}. */
    public static String tag(Digest manifest) {
        return manifest.algorithm() + "-" + manifest.hex() + ".sig";
    }

    /**
     * Pushes {@code signatures} of the manifest {@code manifest} of the registry image {@code image}
     * as the {@code .sig} manifest of its repository.
     */
    public static void push(DockerReference image, Digest manifest, List<SigstoreSigner.SigstoreSignature> signatures,
                            TransportContext context) throws IOException {
        String reference = "docker://" + image.name() + ":" + tag(manifest);
        try (ImageDestination destination = Transports.parse(reference).openDestination(context)) {
            List<Descriptor> layers = new ArrayList<>();
            List<String> diffIds = new ArrayList<>();
            for (SigstoreSigner.SigstoreSignature signature : signatures) {
                Descriptor layer = put(destination, signature.payload(), SigstoreSigner.PAYLOAD_MEDIA_TYPE, BlobInfo.Kind.LAYER)
                        .withAnnotations(Map.of(SigstoreSigner.SIGNATURE_ANNOTATION, signature.signature()));
                layers.add(layer);
                diffIds.add(layer.digest().toString());
            }
            ObjectNode config = JSON.createObjectNode();
            config.put("architecture", "");
            config.put("os", "");
            config.putObject("config");
            ObjectNode rootfs = config.putObject("rootfs");
            rootfs.put("type", "layers");
            diffIds.forEach(rootfs.putArray("diff_ids")::add);
            Descriptor configDescriptor = put(destination, JSON.writeValueAsBytes(config), MediaTypes.OCI_CONFIG, BlobInfo.Kind.CONFIG);
            ImageManifest attached = ImageManifest.of(ManifestFormat.OCI, configDescriptor, layers, Map.of());
            destination.putManifest(RawManifest.of(attached));
            destination.commit();
        }
    }

    private static Descriptor put(ImageDestination destination, byte[] bytes, String mediaType, BlobInfo.Kind kind) throws IOException {
        Descriptor descriptor = new Descriptor(mediaType, Digest.sha256(bytes), bytes.length);
        return destination.putBlob(new ByteArrayInputStream(bytes), BlobInfo.known(descriptor, kind)).withMediaType(mediaType);
    }
}
