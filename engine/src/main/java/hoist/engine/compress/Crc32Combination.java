package hoist.engine.compress;

/**
 * Joins CRC-32s (the gzip polynomial, reflected) of consecutive pieces: the CRC of A followed by
 * B from the CRC of A, the CRC of B and B's length, without reading the bytes again. Appending
 * {@code n} bytes multiplies A's remainder by x^(8n) modulo the polynomial; that power is built
 * from the squarings x^(2^k) kept in a table.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc1952#section-8">RFC 1952, CRC-32</a>
 */
final class Crc32Combination {

    /** The reflected CRC-32 polynomial. */
    private static final int POLYNOMIAL = 0xedb88320;
    /** x^0 in the reflected representation. */
    private static final int ONE = 0x80000000;
    /** POWERS[k] = x^(2^k) mod P. */
    private static final int[] POWERS = new int[64];

    static {
        POWERS[0] = ONE >>> 1; // x^1
        for (int k = 1; k < POWERS.length; k++) {
            POWERS[k] = multiply(POWERS[k - 1], POWERS[k - 1]);
        }
    }

    private Crc32Combination() {
    }

    /** The CRC-32 of A then B, from {@code crcA}, {@code crcB} and B's length in bytes (>= 0). */
    static int combine(int crcA, int crcB, long lengthB) {
        return multiply(power(lengthB * 8), crcA) ^ crcB;
    }

    /** x^bits mod P. */
    private static int power(long bits) {
        int result = ONE;
        for (int k = 0; bits != 0; k++, bits >>>= 1) {
            if ((bits & 1) != 0) {
                result = multiply(POWERS[k], result);
            }
        }
        return result;
    }

    /** a * b mod P, both reflected (bit 31 is x^0). */
    private static int multiply(int a, int b) {
        int product = 0;
        for (int bit = ONE; bit != 0; bit >>>= 1) {
            if ((a & bit) != 0) {
                product ^= b;
            }
            b = (b & 1) != 0 ? (b >>> 1) ^ POLYNOMIAL : b >>> 1;
        }
        return product;
    }
}
