package hoist.engine.transport.sif;

import hoist.engine.HoistException;
import hoist.engine.archive.GoTarWriter;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A squashfs file system turned into a tar stream without extracting it: {@code unsquashfs -pf}
 * (squashfs-tools 4.5 and later) writes the file system as a pseudo file, one line per entry
 * ({@code NAME TYPE MTIME MODE UID GID ...}, names with {@code \} before spaces, quotes and
 * backslashes) followed by the regular files' contents one after the other, which this reads
 * once, start to end, writing a tar entry per line: numeric owners, modes and times as the file
 * system has them, names as GNU tar writes a directory archived as {@code ./}. Sockets are left
 * out, as tar leaves them out; extended attributes are not in the pseudo file and so not in the
 * layer.
 *
 * @see <a href="https://github.com/plougher/squashfs-tools/blob/master/USAGE-UNSQUASHFS-4.6">unsquashfs -pf</a>
 */
final class SquashfsTar {

    private static final String DATA_MARK = "# START OF DATA - DO NOT MODIFY";
    private static final int S_IFIFO = 0010000;
    private static final int S_IFCHR = 0020000;
    private static final int S_IFDIR = 0040000;
    private static final int S_IFBLK = 0060000;
    private static final int S_IFREG = 0100000;
    private static final int S_IFLNK = 0120000;

    /** One line of the pseudo file. {@code fields} are what follows the type letter. */
    private record Line(String name, char type, String[] fields, String rest) {
    }

    private SquashfsTar() {
    }

    /**
     * Writes the file system that starts {@code offset} bytes into {@code image} to {@code out} as
     * a tar stream, with {@code definition}'s script added as {@link DefinitionFile#SCRIPT_PATH}
     * (time {@code scriptTime}, Unix seconds) when it has one. {@code out} is not closed.
     *
     * @throws HoistException naming {@code what} when unsquashfs is missing, fails, or writes what
     *                        cannot be read
     */
    static void write(Path image, long offset, DefinitionFile definition, long scriptTime, OutputStream out,
                      Path workDir, String what) throws IOException {
        Path errors = workDir.resolve("unsquashfs.err");
        Process process;
        try {
            process = new ProcessBuilder("unsquashfs", "-no-progress", "-o", Long.toString(offset), "-pf", "/dev/stdout",
                    image.toString())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .redirectError(errors.toFile())
                    .start();
        } catch (IOException e) {
            throw new HoistException(what + ": cannot run unsquashfs, which reads the SIF's squashfs root file system"
                    + " (install squashfs-tools 4.5 or later): " + e.getMessage(), e);
        }
        boolean finished = false;
        try (InputStream in = new BufferedInputStream(process.getInputStream(), 1 << 16)) {
            List<Line> lines = readLines(in, what);
            GoTarWriter tar = new GoTarWriter(out);
            Map<String, Line> byName = new HashMap<>();
            String scriptName = DefinitionFile.SCRIPT_PATH.substring(1);
            String scriptDir = scriptName.substring(0, scriptName.lastIndexOf('/'));
            boolean scriptDirSeen = false;
            long position = 0;
            byte[] buffer = new byte[1 << 16];
            for (Line line : lines) {
                byName.put(line.name(), line);
                if (line.type() == 'R') {
                    long size = number(line.fields()[4], what);
                    long at = number(line.fields()[5], what);
                    if (size > 0) {
                        if (at < position) {
                            throw new HoistException(what + ": unsquashfs gave the file contents out of order at " + line.name());
                        }
                        skip(in, at - position, what);
                        position = at;
                    }
                    boolean replaced = definition.hasScript() && line.name().equals(scriptName);
                    if (!replaced) {
                        tar.putEntry(header(line, S_IFREG, '0', size, "", what));
                    }
                    long left = size;
                    while (left > 0) {
                        int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
                        if (n < 0) {
                            throw new HoistException(what + ": the squashfs contents end inside " + line.name());
                        }
                        if (!replaced) {
                            tar.write(buffer, 0, n);
                        }
                        left -= n;
                    }
                    position += size;
                    continue;
                }
                if (line.name().equals(scriptDir) && line.type() == 'D') {
                    scriptDirSeen = true;
                }
                switch (line.type()) {
                    case 'D' -> tar.putEntry(header(line, S_IFDIR, '5', 0, "", what));
                    case 'S' -> tar.putEntry(header(line, S_IFLNK, '2', 0, line.rest(), what));
                    case 'C', 'B' -> {
                        boolean chr = line.type() == 'C';
                        GoTarWriter.Header h = header(line, chr ? S_IFCHR : S_IFBLK, chr ? '3' : '4', 0, "", what);
                        tar.putEntry(new GoTarWriter.Header(h.name(), h.type(), h.mode(), h.uid(), h.gid(), 0, h.mtime(), "",
                                "", "", number(line.fields()[4], what), number(line.fields()[5], what), Map.of()));
                    }
                    case 'I' -> {
                        if (line.fields()[4].equals("f")) {
                            tar.putEntry(header(line, S_IFIFO, '6', 0, "", what));
                        }
                    }
                    case 'L' -> {
                        Line target = byName.get(line.rest());
                        if (target == null || target.type() == 'L' || target.fields().length < 4) {
                            throw new HoistException(what + ": hard link " + line.name() + " names " + line.rest()
                                    + ", which the file system lists after it or not at all");
                        }
                        GoTarWriter.Header h = header(target, S_IFREG, '1', 0, tarName(line.rest(), false), what);
                        tar.putEntry(new GoTarWriter.Header(tarName(line.name(), false), '1', h.mode(), h.uid(), h.gid(),
                                0, h.mtime(), h.linkName(), "", "", 0, 0, Map.of()));
                    }
                    default -> throw new HoistException(what + ": unsquashfs listed " + line.name()
                            + " with a type this does not know (" + line.type() + ")");
                }
            }
            if (definition.hasScript()) {
                if (!scriptDirSeen) {
                    tar.putEntry(new GoTarWriter.Header("./" + scriptDir + "/", '5', S_IFDIR | 0755, 0, 0, 0, scriptTime,
                            "", "", "", 0, 0, Map.of()));
                }
                byte[] script = definition.script();
                tar.putEntry(new GoTarWriter.Header("./" + scriptName, '0', S_IFREG | 0755, 0, 0, script.length, scriptTime,
                        "", "", "", 0, 0, Map.of()));
                tar.write(script, 0, script.length);
            }
            tar.close();
            in.transferTo(OutputStream.nullOutputStream());
            int status = process.waitFor();
            finished = true;
            if (status != 0) {
                throw new HoistException(what + ": unsquashfs could not read the root file system: " + lastLine(errors));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while reading " + what);
        } catch (HoistException e) {
            // its output is closed by now, so unsquashfs ends soon; when it failed, its own message says why
            if (!finished && waitQuietly(process) && process.exitValue() != 0) {
                String detail = lastLine(errors);
                if (!detail.isEmpty()) {
                    throw new HoistException(what + ": unsquashfs could not read the root file system: " + detail, e);
                }
            }
            throw e;
        } finally {
            if (!finished) {
                process.destroyForcibly();
            }
            Files.deleteIfExists(errors);
        }
    }

    /** The entry lines, up to the data mark; a name with a newline in it spans lines, and is joined back. */
    private static List<Line> readLines(InputStream in, String what) throws IOException {
        List<Line> lines = new ArrayList<>();
        String pending = null;
        while (true) {
            String text = readLine(in);
            if (text == null) {
                String detail = pending == null ? "" : " (last: " + pending + ")";
                throw new HoistException(what + ": unsquashfs ended before the file contents" + detail);
            }
            if (pending == null && text.equals(DATA_MARK)) {
                if (!"#".equals(readLine(in))) {
                    throw new HoistException(what + ": unsquashfs wrote an unexpected pseudo file");
                }
                if (!lines.isEmpty() && lines.get(lines.size() - 1).name().equals("#")) {
                    lines.remove(lines.size() - 1); // the comment line before the mark
                }
                return lines;
            }
            if (pending == null && text.equals("#")) {
                lines.add(new Line("#", '#', new String[0], ""));
                continue;
            }
            String joined = pending == null ? text : pending + "\n" + text;
            Line line = parse(joined);
            if (line == null) {
                pending = joined;
            } else {
                pending = null;
                lines.add(line);
            }
        }
    }

    /** A line as {@code NAME TYPE FIELDS...}, or null when it is not one (yet). */
    private static Line parse(String text) {
        StringBuilder name = new StringBuilder();
        int i = 0;
        while (i < text.length() && text.charAt(i) != ' ') {
            char c = text.charAt(i);
            if (c == '\\' && i + 1 < text.length()) {
                c = text.charAt(++i);
            }
            name.append(c);
            i++;
        }
        if (i + 2 >= text.length() || text.charAt(i + 2) != ' ') {
            return null;
        }
        char type = text.charAt(i + 1);
        String after = text.substring(i + 2).stripLeading();
        String relative = name.toString().equals("/") ? "" : name.toString();
        if (type == 'L') {
            return new Line(relative, type, new String[0], unescape(after));
        }
        String[] fields = after.split(" ", type == 'S' ? 5 : -1);
        int wanted = switch (type) {
            case 'D' -> 4;
            case 'R', 'C', 'B' -> 6;
            case 'S', 'I' -> 5;
            default -> -1;
        };
        if (wanted < 0 || fields.length != wanted || !fields[0].matches("-?[0-9]+") || !fields[1].matches("[0-7]+")
                || !fields[2].matches("[0-9]+") || !fields[3].matches("[0-9]+")) {
            return null;
        }
        return new Line(relative, type, fields, type == 'S' ? unescape(fields[4]) : "");
    }

    private static String unescape(String text) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\' && i + 1 < text.length()) {
                c = text.charAt(++i);
            }
            out.append(c);
        }
        return out.toString();
    }

    /** One line as bytes decoded as UTF-8, without its newline; null at the end of the stream. */
    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0 && b != '\n') {
            line.write(b);
        }
        if (b < 0 && line.size() == 0) {
            return null;
        }
        return line.toString(StandardCharsets.UTF_8);
    }

    private static GoTarWriter.Header header(Line line, int format, char type, long size, String link, String what) {
        String[] f = line.fields();
        long mtime = number(f[0], what);
        long mode = Long.parseLong(f[1], 8) & 07777;
        return new GoTarWriter.Header(tarName(line.name(), type == '5'), type, mode | format, number(f[2], what),
                number(f[3], what), size, mtime, link, "", "", 0, 0, Map.of());
    }

    private static String tarName(String relative, boolean directory) {
        if (relative.isEmpty()) {
            return "./";
        }
        return "./" + relative + (directory ? "/" : "");
    }

    private static long number(String text, String what) {
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new HoistException(what + ": unsquashfs wrote \"" + text + "\" where a number belongs");
        }
    }

    private static void skip(InputStream in, long n, String what) throws IOException {
        long left = n;
        while (left > 0) {
            long skipped = in.skip(left);
            if (skipped <= 0) {
                if (in.read() < 0) {
                    throw new HoistException(what + ": the squashfs contents end early");
                }
                skipped = 1;
            }
            left -= skipped;
        }
    }

    /** Whether the process ended within a few seconds. */
    private static boolean waitQuietly(Process process) {
        try {
            return process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static String lastLine(Path file) {
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8).stream().map(String::strip)
                    .filter(s -> !s.isEmpty()).toList();
            return lines.isEmpty() ? "" : lines.get(lines.size() - 1);
        } catch (IOException e) {
            return "";
        }
    }
}
