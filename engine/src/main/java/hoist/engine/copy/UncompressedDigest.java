package hoist.engine.copy;

import hoist.engine.image.Digest;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * The SHA-256 of a layer's uncompressed bytes (its diff ID), computed from its stored bytes as
 * they pass: gzip members (one or several, as RFC 1952 allows) are inflated on the way; bytes that
 * do not begin as gzip are taken as an uncompressed tar. Nothing is buffered but a gzip header and
 * trailer. Not thread-safe: one stream feeds it.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc1952">RFC 1952, GZIP file format</a>
 */
final class UncompressedDigest {

    private enum State { START, HEADER, BODY, TRAILER, PLAIN, DONE }

    private static final int FHCRC = 2;
    private static final int FEXTRA = 4;
    private static final int FNAME = 8;
    private static final int FCOMMENT = 16;

    private final MessageDigest sha256;
    private final Inflater inflater = new Inflater(true);
    private final byte[] out = new byte[64 * 1024];
    private final ByteArrayOutputStream header = new ByteArrayOutputStream();
    private State state = State.START;
    private int trailerLeft;

    UncompressedDigest() {
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Takes the next stored bytes.
     *
     * @throws IOException when the gzip stream is corrupt
     */
    void update(byte[] bytes, int offset, int length) throws IOException {
        int end = offset + length;
        int at = offset;
        while (at < end) {
            switch (state) {
                case START -> {
                    header.write(bytes[at++]);
                    if (header.size() == 2) {
                        byte[] first = header.toByteArray();
                        if ((first[0] & 0xff) == 0x1f && (first[1] & 0xff) == 0x8b) {
                            state = State.HEADER;
                        } else {
                            sha256.update(first);
                            header.reset();
                            state = State.PLAIN;
                        }
                    }
                }
                case PLAIN -> {
                    sha256.update(bytes, at, end - at);
                    at = end;
                }
                case HEADER -> {
                    header.write(bytes[at++]);
                    if (headerComplete(header.toByteArray())) {
                        header.reset();
                        inflater.reset();
                        state = State.BODY;
                    }
                }
                case BODY -> at = inflate(bytes, at, end);
                case TRAILER -> {
                    int n = Math.min(trailerLeft, end - at);
                    at += n;
                    trailerLeft -= n;
                    if (trailerLeft == 0) {
                        state = State.DONE;
                    }
                }
                case DONE -> {
                    // another member may follow; anything else (padding) is not part of the layer
                    if ((bytes[at] & 0xff) == 0x1f) {
                        header.reset();
                        state = State.START;
                    } else {
                        at = end;
                    }
                }
            }
        }
    }

    /** Inflates from {@code at}; returns where the member's deflate data ended, or {@code end}. */
    private int inflate(byte[] bytes, int at, int end) throws IOException {
        inflater.setInput(bytes, at, end - at);
        try {
            while (!inflater.finished()) {
                int n = inflater.inflate(out);
                if (n > 0) {
                    sha256.update(out, 0, n);
                } else if (inflater.needsInput()) {
                    return end;
                } else if (inflater.needsDictionary()) {
                    throw new IOException("gzip layer: deflate data asks for a dictionary");
                }
            }
        } catch (DataFormatException e) {
            throw new IOException("gzip layer: " + e.getMessage(), e);
        }
        state = State.TRAILER;
        trailerLeft = 8;
        return end - inflater.getRemaining();
    }

    /** Whether {@code h} (from the first byte) holds a whole gzip member header. */
    private static boolean headerComplete(byte[] h) throws IOException {
        if (h.length < 10) {
            return false;
        }
        if ((h[2] & 0xff) != 8) {
            throw new IOException("gzip layer: compression method " + (h[2] & 0xff) + " is not deflate");
        }
        int flags = h[3] & 0xff;
        int at = 10;
        if ((flags & FEXTRA) != 0) {
            if (h.length < at + 2) {
                return false;
            }
            at += 2 + ((h[at] & 0xff) | (h[at + 1] & 0xff) << 8);
        }
        for (int flag : new int[] {FNAME, FCOMMENT}) {
            if ((flags & flag) != 0) {
                while (true) {
                    if (h.length <= at) {
                        return false;
                    }
                    if (h[at++] == 0) {
                        break;
                    }
                }
            }
        }
        if ((flags & FHCRC) != 0) {
            at += 2;
        }
        return h.length >= at;
    }

    /**
     * The digest of the uncompressed bytes.
     *
     * @throws IOException when the stream ended inside a gzip member
     */
    Digest digest() throws IOException {
        if (state == State.HEADER || state == State.BODY || state == State.TRAILER) {
            throw new IOException("gzip layer ends inside a member");
        }
        if (state == State.START && header.size() > 0) {
            sha256.update(header.toByteArray());
        }
        inflater.end();
        return Digest.parse("sha256:" + java.util.HexFormat.of().formatHex(sha256.digest()));
    }
}
