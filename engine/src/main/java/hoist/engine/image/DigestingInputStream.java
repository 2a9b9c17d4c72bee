package hoist.engine.image;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.HexFormat;

/** Computes the digest and counts the bytes of what is read through it. */
public class DigestingInputStream extends FilterInputStream {

    private final MessageDigest messageDigest;
    private final String algorithm;
    private long count;

    public DigestingInputStream(InputStream in) {
        this(in, "sha256");
    }

    public DigestingInputStream(InputStream in, String algorithm) {
        super(in);
        this.algorithm = algorithm;
        this.messageDigest = Digest.messageDigest(algorithm);
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b >= 0) {
            messageDigest.update((byte) b);
            count++;
        }
        return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        int n = super.read(buffer, offset, length);
        if (n > 0) {
            messageDigest.update(buffer, offset, n);
            count += n;
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        // Skipped bytes must still be digested.
        byte[] sink = new byte[8192];
        long skipped = 0;
        while (skipped < n) {
            int r = read(sink, 0, (int) Math.min(sink.length, n - skipped));
            if (r < 0) {
                break;
            }
            skipped += r;
        }
        return skipped;
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    /** The digest of everything read so far; call once, at the end. */
    public Digest digest() {
        return new Digest(algorithm, HexFormat.of().formatHex(messageDigest.digest()));
    }

    public long count() {
        return count;
    }
}
