/**
 * Image signatures: simple signing (the atomic container signature JSON signed as an OpenPGP
 * message, keys from the user's GnuPG home), where signatures of registry images are kept
 * (the lookaside stores of {@code registries.d}), and {@code policy.json}, the trust policy
 * checked on every read before anything is written.
 *
 * @see <a href="https://github.com/containers/image/blob/main/docs/containers-signature.5.md">containers-signature(5)</a>
 * @see <a href="https://github.com/containers/image/blob/main/docs/containers-policy.json.5.md">containers-policy.json(5)</a>
 * @see <a href="https://github.com/containers/image/blob/main/docs/containers-registries.d.5.md">containers-registries.d(5)</a>
 */
package hoist.engine.sign;
