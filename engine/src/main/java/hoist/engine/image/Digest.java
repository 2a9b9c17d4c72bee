package hoist.engine.image;

import hoist.engine.HoistException;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * A content digest, {@code algorithm:hex}. Only the algorithms registered by the OCI image
 * specification (sha256, sha512) are accepted, because only those can be verified.
 */
public record Digest(String algorithm, String hex) implements Comparable<Digest> {

    private static final Pattern SHA256 = Pattern.compile("[a-f0-9]{64}");
    private static final Pattern SHA512 = Pattern.compile("[a-f0-9]{128}");
    private static final Pattern ALGORITHM = Pattern.compile("[a-z0-9]+(?:[+._-][a-z0-9]+)*");

    public Digest {
        switch (algorithm) {
            case "sha256" -> require(SHA256, algorithm, hex);
            case "sha512" -> require(SHA512, algorithm, hex);
            default -> throw new IllegalArgumentException(
                    ALGORITHM.matcher(algorithm).matches()
                            ? "unsupported digest algorithm \"" + algorithm + "\""
                            : "invalid digest algorithm \"" + algorithm + "\"");
        }
    }

    private static void require(Pattern pattern, String algorithm, String hex) {
        if (!pattern.matcher(hex).matches()) {
            throw new IllegalArgumentException("invalid " + algorithm + " digest \"" + algorithm + ":" + hex + "\"");
        }
    }

    /** Parses {@code algorithm:hex}; an {@link IllegalArgumentException} says what is wrong. */
    public static Digest parse(String text) {
        if (text == null) {
            throw new IllegalArgumentException("missing digest");
        }
        int colon = text.indexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("invalid digest \"" + text + "\": expected algorithm:hex");
        }
        return new Digest(text.substring(0, colon), text.substring(colon + 1));
    }

    /** Parses user input: a bad digest is a usage error naming the text. */
    public static Digest parseArgument(String text) {
        try {
            return parse(text);
        } catch (IllegalArgumentException e) {
            throw HoistException.usage(e.getMessage());
        }
    }

    public static boolean isDigest(String text) {
        try {
            parse(text);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    public static Digest sha256(byte[] bytes) {
        return new Digest("sha256", HexFormat.of().formatHex(messageDigest("sha256").digest(bytes)));
    }

    public static Digest sha256(String text) {
        return sha256(text.getBytes(StandardCharsets.UTF_8));
    }

    /** Computes the digest of {@code bytes} with this digest's algorithm. */
    public Digest recompute(byte[] bytes) {
        return new Digest(algorithm, HexFormat.of().formatHex(messageDigest(algorithm).digest(bytes)));
    }

    public boolean matches(byte[] bytes) {
        return equals(recompute(bytes));
    }

    /** A fresh {@link MessageDigest} for this digest's algorithm. */
    public MessageDigest newMessageDigest() {
        return messageDigest(algorithm);
    }

    /** A fresh {@link MessageDigest} for a registered algorithm name. */
    public static MessageDigest messageDigest(String algorithm) {
        try {
            return MessageDigest.getInstance(switch (algorithm) {
                case "sha256" -> "SHA-256";
                case "sha512" -> "SHA-512";
                default -> throw new IllegalArgumentException("unsupported digest algorithm " + algorithm);
            });
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The first 12 hex characters, as image IDs are shown. */
    public String shortHex() {
        return hex.substring(0, 12);
    }

    @Override
    public int compareTo(Digest other) {
        return toString().compareTo(other.toString());
    }

    @Override
    public String toString() {
        return algorithm + ":" + hex;
    }
}
