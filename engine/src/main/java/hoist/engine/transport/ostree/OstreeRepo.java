package hoist.engine.transport.ostree;

import hoist.engine.HoistException;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * An OSTree repository, reached through the {@code ostree} command-line tool (Debian's
 * {@code ostree} package): refs, commits with string metadata, file contents and checkouts.
 * Every failure is a {@link HoistException} naming {@code what} (the image reference) and the
 * tool's last line of error output.
 *
 * @see <a href="https://ostreedev.github.io/ostree/">OSTree</a>
 */
final class OstreeRepo {

    /**
     * The longest metadata value given on a command line: Linux refuses a single argument of
     * 128 KiB or more (MAX_ARG_STRLEN), and the key and {@code --add-metadata-string=} come with it.
     */
    static final int MAX_METADATA_ARGUMENT = 120 * 1024;

    private final Path path;
    private final String what;

    OstreeRepo(Path path, String what) {
        this.path = path;
        this.what = what;
    }

    Path path() {
        return path;
    }

    /**
     * Checks that the path is an OSTree repository the tool can open.
     *
     * @throws HoistException when it is not, or the tool is missing
     */
    void check() throws IOException {
        if (!Files.isDirectory(path)) {
            throw new HoistException(what + ": " + path + " is not an OSTree repository (no such directory)");
        }
        Result result = run(List.of("refs"));
        if (result.status != 0) {
            throw new HoistException(what + ": " + path + " is not an OSTree repository (" + result.lastError() + ")");
        }
    }

    /** The commit a ref points to, or empty when there is no such ref. */
    Optional<String> resolve(String ref) throws IOException {
        Result result = run(List.of("rev-parse", ref));
        return result.status == 0 ? Optional.of(result.out.strip()) : Optional.empty();
    }

    /** Every ref, one per element. */
    List<String> refs() throws IOException {
        Result result = run(List.of("refs"));
        result.require("list the refs of " + path);
        return result.out.lines().filter(l -> !l.isBlank()).toList();
    }

    /**
     * A string value of the commit metadata of {@code ref}, or empty when the commit has no such
     * key.
     *
     * @throws HoistException when the ref does not exist or the value is not a string
     */
    Optional<String> metadata(String ref, String key) throws IOException {
        Result result = run(List.of("show", "--print-metadata-key=" + key, ref));
        if (result.status != 0) {
            if (result.err.contains("No such metadata key")) {
                return Optional.empty();
            }
            throw new HoistException(what + ": cannot read " + key + " of " + ref + " in " + path + ": " + result.lastError());
        }
        return Optional.of(GVariantText.string(result.out.strip(), what + ": " + key + " of " + ref));
    }

    /**
     * Commits a tree to {@code ref} with no parent (replacing what the ref named) and the given
     * string metadata. {@code tree} is {@code dir=PATH} or {@code tar=FILE}; entries named in
     * {@code skipList} (a file, or null) are left out.
     */
    String commit(String ref, String tree, Map<String, String> metadata, Path skipList) throws IOException {
        List<String> args = new ArrayList<>(List.of("commit", "--branch=" + ref, "--parent=none", "--tree=" + tree,
                "--subject=" + ref));
        if (tree.startsWith("tar=")) {
            args.add("--tar-autocreate-parents");
        }
        if (skipList != null) {
            args.add("--skip-list=" + skipList);
        }
        metadata.forEach((k, v) -> {
            if (k.length() + v.length() > MAX_METADATA_ARGUMENT) {
                throw new HoistException(what + ": the " + k + " metadata (" + v.length() + " bytes) is too large for a commit");
            }
            args.add("--add-metadata-string=" + k + "=" + v);
        });
        Result result = run(args);
        result.require("commit " + ref + " to " + path);
        return result.out.strip();
    }

    /** Checks out {@code ref} into the new directory {@code target}, in user mode (no ownership changes). */
    void checkout(String ref, Path target) throws IOException {
        run(List.of("checkout", "--user-mode", ref, target.toString())).require("check out " + ref + " from " + path);
    }

    /** Removes a ref (the objects stay until {@code ostree prune}). */
    void deleteRef(String ref) throws IOException {
        run(List.of("refs", "--delete", ref)).require("remove the ref " + ref + " from " + path);
    }

    /**
     * A stream of the file {@code file} (absolute, in the commit's tree) of {@code ref}'s commit;
     * closing it after the end checks that {@code ostree cat} succeeded.
     */
    InputStream cat(String ref, String file) throws IOException {
        Path errors = Files.createTempFile("hoist-ostree-", ".err");
        Process process = start(List.of("cat", ref, file), errors);
        return new FilterInputStream(process.getInputStream()) {
            private boolean eof;

            @Override
            public int read() throws IOException {
                int b = super.read();
                eof |= b < 0;
                return b;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                int n = super.read(b, off, len);
                eof |= n < 0;
                return n;
            }

            @Override
            public void close() throws IOException {
                try {
                    super.close();
                    if (!eof) {
                        process.destroy();
                    }
                    int status = waitFor(process);
                    if (eof && status != 0) {
                        throw new HoistException(what + ": cannot read " + file + " of " + ref + " in " + path + ": "
                                + lastLine(Files.readString(errors, StandardCharsets.UTF_8)));
                    }
                } finally {
                    Files.deleteIfExists(errors);
                }
            }
        };
    }

    /** A small file of a commit's tree, read whole (a manifest, a signature). */
    byte[] readSmallFile(String ref, String file) throws IOException {
        Result result = run(List.of("cat", ref, file));
        result.require("read " + file + " of " + ref + " in " + path);
        return result.bytes;
    }

    private record Result(int status, byte[] bytes, String out, String err, String what) {
        String lastError() {
            return lastLine(err);
        }

        void require(String action) {
            if (status != 0) {
                throw new HoistException(what + ": ostree could not " + action + ": " + lastError());
            }
        }
    }

    private Result run(List<String> args) throws IOException {
        Path errors = Files.createTempFile("hoist-ostree-", ".err");
        try {
            Process process = start(args, errors);
            byte[] out;
            try (InputStream in = process.getInputStream()) {
                out = in.readAllBytes();
            }
            int status = waitFor(process);
            String err = Files.readString(errors, StandardCharsets.UTF_8);
            return new Result(status, out, new String(out, StandardCharsets.UTF_8), err, what);
        } finally {
            Files.deleteIfExists(errors);
        }
    }

    private Process start(List<String> args, Path errors) throws IOException {
        List<String> command = new ArrayList<>(List.of("ostree", args.get(0), "--repo=" + path));
        command.addAll(args.subList(1, args.size()));
        try {
            return new ProcessBuilder(command).redirectError(errors.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        } catch (IOException e) {
            throw new HoistException(what + ": cannot run the ostree tool (install the ostree package): " + e.getMessage(), e);
        }
    }

    private int waitFor(Process process) throws IOException {
        try {
            if (!process.waitFor(1, TimeUnit.HOURS)) {
                process.destroyForcibly();
                throw new IOException("ostree did not finish");
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while ostree ran for " + what);
        }
    }

    private static String lastLine(String text) {
        List<String> lines = text.lines().map(String::strip).filter(s -> !s.isEmpty()).toList();
        if (lines.isEmpty()) {
            return "no message";
        }
        String last = lines.get(lines.size() - 1);
        return last.startsWith("error: ") ? last.substring("error: ".length()) : last;
    }
}
