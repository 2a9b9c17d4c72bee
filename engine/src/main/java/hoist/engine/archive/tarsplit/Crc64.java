package hoist.engine.archive.tarsplit;

/**
 * CRC-64 with the ISO 3309 polynomial, as Go's {@code hash/crc64} computes it with
 * {@code crc64.ISO}: the checksum tar-split keeps of every file's content. Eight bytes at a time
 * (slicing by 8), since every byte of a layer passes through it.
 */
public final class Crc64 {

    private static final long POLY = 0xD800000000000000L;
    private static final long[][] TABLES = tables();

    private long crc;

    private static long[][] tables() {
        long[][] t = new long[8][256];
        for (int i = 0; i < 256; i++) {
            long c = i;
            for (int k = 0; k < 8; k++) {
                c = (c & 1) != 0 ? (c >>> 1) ^ POLY : c >>> 1;
            }
            t[0][i] = c;
        }
        for (int i = 0; i < 256; i++) {
            long c = t[0][i];
            for (int k = 1; k < 8; k++) {
                c = t[0][(int) (c & 0xff)] ^ (c >>> 8);
                t[k][i] = c;
            }
        }
        return t;
    }

    /** Adds {@code len} bytes of {@code b} from {@code off} to the checksum. */
    public void update(byte[] b, int off, int len) {
        long c = ~crc;
        long[] t0 = TABLES[0], t1 = TABLES[1], t2 = TABLES[2], t3 = TABLES[3];
        long[] t4 = TABLES[4], t5 = TABLES[5], t6 = TABLES[6], t7 = TABLES[7];
        int i = off;
        int end = off + len;
        while (end - i >= 8) {
            c ^= (b[i] & 0xffL) | (b[i + 1] & 0xffL) << 8 | (b[i + 2] & 0xffL) << 16 | (b[i + 3] & 0xffL) << 24
                    | (b[i + 4] & 0xffL) << 32 | (b[i + 5] & 0xffL) << 40 | (b[i + 6] & 0xffL) << 48 | (b[i + 7] & 0xffL) << 56;
            c = t7[(int) (c & 0xff)] ^ t6[(int) ((c >>> 8) & 0xff)] ^ t5[(int) ((c >>> 16) & 0xff)]
                    ^ t4[(int) ((c >>> 24) & 0xff)] ^ t3[(int) ((c >>> 32) & 0xff)] ^ t2[(int) ((c >>> 40) & 0xff)]
                    ^ t1[(int) ((c >>> 48) & 0xff)] ^ t0[(int) (c >>> 56)];
            i += 8;
        }
        while (i < end) {
            c = t0[(int) ((c ^ b[i]) & 0xff)] ^ (c >>> 8);
            i++;
        }
        crc = ~c;
    }

    /** The checksum of every byte added since the last {@link #reset()}. */
    public long value() {
        return crc;
    }

    /** The checksum as the 8 big-endian bytes tar-split stores. */
    public byte[] bytes() {
        byte[] out = new byte[8];
        for (int i = 0; i < 8; i++) {
            out[i] = (byte) (crc >>> (56 - 8 * i));
        }
        return out;
    }

    /** Starts again from no bytes. */
    public void reset() {
        crc = 0;
    }
}
