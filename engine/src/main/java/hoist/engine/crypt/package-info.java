/**
 * Layer encryption and decryption as ocicrypt defines them, so that what hoist encrypts skopeo,
 * podman and buildah decrypt, and the other way round: the {@code AES_256_CTR_HMAC_SHA256} block
 * cipher streamed over a layer's bytes, the {@code +encrypted} media types, and the layer key
 * wrapped for each recipient ({@code jwe}, {@code pkcs7}, {@code pgp}) in the descriptor's
 * {@code org.opencontainers.image.enc.*} annotations.
 *
 * @see <a href="https://github.com/containers/ocicrypt/blob/main/docs/spec.md">ocicrypt: the encrypted layer format</a>
 */
package hoist.engine.crypt;
