/**
 * Image signatures: simple signing (the atomic container signature JSON signed as an OpenPGP
 * message, keys from the user's GnuPG home read in place), sigstore signatures (cosign's keys and
 * {@code sha256-HEX.sig} attachments), standalone signatures of manifest files, where signatures
 * are kept (with the image as containers/image keeps them, the lookaside stores of
 * {@code registries.d}, a registry's signature extension), and {@code policy.json}, the trust
 * policy checked on every read before anything is written.
 *
 * @see <a href="https://github.com/containers/image/blob/main/docs/containers-signature.5.md">containers-signature(5)</a>
 * @see <a href="https://github.com/containers/image/blob/main/docs/containers-policy.json.5.md">containers-policy.json(5)</a>
 * @see <a href="https://github.com/containers/image/blob/main/docs/containers-registries.d.5.md">containers-registries.d(5)</a>
 * @see <a href="https://github.com/containers/image/blob/main/docs/signature-protocols.md">containers/image signature access protocols</a>
 */
package hoist.engine.sign;
