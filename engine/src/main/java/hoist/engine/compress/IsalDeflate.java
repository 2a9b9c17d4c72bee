package hoist.engine.compress;

import java.io.IOException;
import java.io.InputStream;
import java.lang.ref.Cleaner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * ISA-L's igzip (Intel Intelligent Storage Acceleration Library) through the project's JNI
 * binding {@code libhoistisal.so}, built from {@code src/main/c} by the engine's build when gcc
 * and ISA-L's headers are there, and shipped inside the engine's classes.
 *
 * <p>Levels: zlib's 1-2 are ISA-L's 1, 3-5 its 2, 6-9 its 3 (ISA-L has 0-3, where 0 still
 * compresses); zlib's 0 (store) is written by the JDK's deflater, as ISA-L has no stored mode.
 *
 * @see <a href="https://github.com/intel/isa-l">ISA-L</a>
 */
final class IsalDeflate implements DeflateEngine {

    private static final String LIBRARY = "libhoistisal.so";
    static final Cleaner CLEANER = Cleaner.create();

    private final String version;

    private IsalDeflate(String version) {
        this.version = version;
    }

    /** The engine, or why it could not be loaded. */
    record Loaded(IsalDeflate engine, String whyNot) {
    }

    /** Loads the binding from the classes (copied to a private cache directory when inside a jar). */
    static Loaded load() {
        String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
        String machine = switch (arch) {
            case "amd64", "x86_64" -> "x86_64";
            case "aarch64", "arm64" -> "aarch64";
            default -> arch;
        };
        String resource = "native/linux-" + machine + "/" + LIBRARY;
        if (!System.getProperty("os.name").toLowerCase(Locale.ROOT).contains("linux")) {
            return new Loaded(null, "not Linux");
        }
        try (InputStream in = IsalDeflate.class.getResourceAsStream(resource)) {
            if (in == null) {
                return new Loaded(null, "the binding was not built (needs gcc and libisal-dev at build time)");
            }
            byte[] bytes = in.readAllBytes();
            Path file = cached(bytes);
            System.load(file.toString());
            return new Loaded(new IsalDeflate(linkedVersion()), null);
        } catch (IOException | UnsatisfiedLinkError | SecurityException e) {
            String message = e.getMessage() == null ? e.toString() : e.getMessage();
            return new Loaded(null, message.contains("libisal") ? "libisal is not installed (Debian: libisal2)" : message);
        }
    }

    /** A copy of the library in {@code $XDG_CACHE_HOME/hoist/native} (owner-only), made once per content. */
    private static Path cached(byte[] bytes) throws IOException {
        String cacheHome = System.getenv("XDG_CACHE_HOME");
        Path base = cacheHome != null && !cacheHome.isEmpty() ? Path.of(cacheHome)
                : Path.of(System.getProperty("user.home"), ".cache");
        Path dir = base.resolve("hoist").resolve("native");
        Files.createDirectories(dir);
        try {
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: nothing to restrict
        }
        Path file = dir.resolve(Integer.toHexString(Arrays.hashCode(bytes)) + "-" + bytes.length + "-" + LIBRARY);
        if (Files.isRegularFile(file) && Arrays.equals(Files.readAllBytes(file), bytes)) {
            return file;
        }
        Path temp = Files.createTempFile(dir, "lib", ".tmp");
        try {
            Files.write(temp, bytes);
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temp);
        }
        return file;
    }

    /** ISA-L's version from the library file the process mapped ({@code libisal.so.2.0.30} is 2.30), or "". */
    private static String linkedVersion() {
        try {
            Matcher m = Pattern.compile("libisal\\.so\\.(\\d+)\\.\\d+\\.(\\d+)").matcher(Files.readString(Path.of("/proc/self/maps")));
            if (m.find()) {
                return " " + m.group(1) + "." + m.group(2);
            }
        } catch (IOException | RuntimeException e) {
            // the version is only shown
        }
        return "";
    }

    @Override
    public String description() {
        return "ISA-L" + version + " (native)";
    }

    /** zlib's 6, ISA-L's 3: ISA-L's 1 is about 3% larger still, too close to 5% over skopeo's. */
    @Override
    public int defaultLevel() {
        return 6;
    }

    @Override
    public BlockDeflater newBlockDeflater(int level) {
        if (level == 0) {
            return new JdkDeflate.Block(0);
        }
        return new Block(isalLevel(level));
    }

    /** zlib's level 1-9 on ISA-L's 1-3. */
    static int isalLevel(int level) {
        return level <= 2 ? 1 : level <= 5 ? 2 : 3;
    }

    @Override
    public InputStream gunzip(InputStream in) {
        return new IsalGzipInputStream(in);
    }

    /** A native deflate state, freed on close (or when unreachable). */
    private static final class Block implements BlockDeflater {
        private final long handle;
        private final Cleaner.Cleanable cleanable;

        Block(int isalLevel) {
            long h = newDeflater(isalLevel);
            if (h == 0) {
                throw new OutOfMemoryError("ISA-L deflate state for level " + isalLevel);
            }
            handle = h;
            cleanable = CLEANER.register(this, () -> freeDeflater(h));
        }

        @Override
        public Output deflate(byte[] dictionary, int dictionaryLength, byte[] in, int inLength, byte[] out) throws IOException {
            byte[] buffer = out;
            while (true) {
                int n = deflateBlock(handle, dictionary, dictionaryLength, in, inLength, buffer, buffer.length);
                if (n >= 0) {
                    return new Output(buffer, n);
                }
                if (n != -1 || buffer.length > 4 * inLength + (1 << 20)) {
                    throw new IOException("ISA-L deflate failed on a block of " + inLength + " bytes");
                }
                buffer = new byte[buffer.length * 2];
            }
        }

        @Override
        public void close() {
            cleanable.clean();
        }
    }

    static native long newDeflater(int level);

    static native void freeDeflater(long handle);

    static native int deflateBlock(long handle, byte[] dictionary, int dictionaryLength, byte[] in, int inLength,
                                   byte[] out, int outCapacity);

    static native long newInflater();

    static native void resetInflater(long handle);

    static native void freeInflater(long handle);

    static native int inflate(long handle, byte[] in, int inOffset, int inLength, byte[] out, int outOffset, int outLength,
                              int[] counts);
}
