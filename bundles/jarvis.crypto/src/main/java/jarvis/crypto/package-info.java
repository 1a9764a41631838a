/**
 * Jarvis cryptography: primitives over the BouncyCastle lightweight API, the jarvis/2 five-layer record
 * cipher, the Noise handshake (IK, XX) and, kept apart in {@link jarvis.crypto.LegacyJarvis1Crypto}, the
 * byte-exact Jarvis 1.x constructions. The wire format is specified in {@code docs/protocol.md}.
 *
 * <p>Every failure caused by input (a forged, tampered, replayed or malformed message, a bad peer key, a
 * wrong password) is reported as a checked {@link jarvis.crypto.CryptoException} or one of its subclasses.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package jarvis.crypto;
