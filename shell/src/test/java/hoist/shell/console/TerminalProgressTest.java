package hoist.shell.console;

import hoist.engine.copy.CopyEvent;
import hoist.engine.image.Descriptor;
import hoist.engine.image.Digest;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The lines the bars draw for a sequence of events, read off a small emulated screen. */
class TerminalProgressTest {

    private static final long MIB = 1024 * 1024;
    private static final long MS = 1_000_000L;

    private final StringWriter written = new StringWriter();
    private final AtomicLong clock = new AtomicLong(1_000 * MS);
    private final TerminalProgress progress = new TerminalProgress(new PrintWriter(written), clock::get, () -> 100);

    private static Descriptor layer(String name, long size) {
        return new Descriptor("application/vnd.oci.image.layer.v1.tar+gzip", Digest.sha256(name), size);
    }

    private static String shortHex(Descriptor d) {
        return d.digest().hex().substring(0, 12);
    }

    @Test
    void barsForBlobsMovingAtOnceAreRedrawnInPlaceAndEndInTheirFinalState() {
        Descriptor a = layer("a", 10 * MIB);
        Descriptor b = layer("b", 4 * MIB);
        Descriptor c = layer("c", 1000);
        Descriptor d = layer("d", 2048);
        Descriptor config = new Descriptor("application/vnd.oci.image.config.v1+json", Digest.sha256("config"), 1500);

        progress.on(new CopyEvent.GettingSignatures());
        progress.on(new CopyEvent.BlobStarted(a, false));
        progress.on(new CopyEvent.BlobStarted(b, false));
        clock.addAndGet(1_000 * MS);
        progress.on(new CopyEvent.BlobProgress(a.digest(), 5 * MIB, 10 * MIB));
        assertEquals(List.of(
                "Getting image source signatures",
                "Copying blob " + shortHex(a) + " [==========>---------] 5.0MiB / 10.0MiB 5.0MiB/s",
                "Copying blob " + shortHex(b) + " [>-------------------] 0B / 4.0MiB 0B/s"), screen());

        progress.on(new CopyEvent.BlobSkipped(c, "oci:/x"));
        progress.on(new CopyEvent.BlobMounted(d, "docker://r/app", "team/base"));
        progress.on(new CopyEvent.BlobDone(a.digest(), 10 * MIB));
        clock.addAndGet(1_000 * MS);
        progress.on(new CopyEvent.BlobProgress(b.digest(), 2 * MIB, 4 * MIB));
        assertEquals(List.of(
                "Getting image source signatures",
                "Copying blob " + shortHex(a) + " done 10.0MiB",
                "Copying blob " + shortHex(b) + " [==========>---------] 2.0MiB / 4.0MiB 1.0MiB/s",
                "Copying blob " + shortHex(c) + " skipped: already exists",
                "Copying blob " + shortHex(d) + " mounted from team/base"), screen());

        progress.on(new CopyEvent.BlobDone(b.digest(), 4 * MIB));
        progress.on(new CopyEvent.BlobStarted(config, true));
        progress.on(new CopyEvent.BlobDone(config.digest(), 1500));
        progress.on(new CopyEvent.WritingManifest("oci:/x"));
        assertEquals(List.of(
                "Getting image source signatures",
                "Copying blob " + shortHex(a) + " done 10.0MiB",
                "Copying blob " + shortHex(b) + " done 4.0MiB",
                "Copying blob " + shortHex(c) + " skipped: already exists",
                "Copying blob " + shortHex(d) + " mounted from team/base",
                "Copying config " + config.digest().hex().substring(0, 12) + " done 1.5KiB",
                "Writing manifest to image destination"), screen());
    }

    @Test
    void withSeveralDestinationsEveryLineOfOneNamesIt() {
        Descriptor c = layer("c", 1000);
        Descriptor d = layer("d", 2048);
        progress.on(new CopyEvent.CopyStarted("oci:/src:x", List.of("oci:/x", "docker://r/app")));
        progress.on(new CopyEvent.BlobSkipped(c, "oci:/x"));
        progress.on(new CopyEvent.BlobMounted(d, "docker://r/app", "team/base"));
        progress.on(new CopyEvent.WritingManifest("oci:/x"));
        progress.on(new CopyEvent.WritingManifest("docker://r/app"));
        assertEquals(List.of(
                "Copying blob " + shortHex(c) + " skipped: already exists at oci:/x",
                "Copying blob " + shortHex(d) + " mounted from team/base at docker://r/app",
                "Writing manifest to oci:/x",
                "Writing manifest to docker://r/app"), screen());
    }

    @Test
    void byteCountsRedrawAtMostEveryHundredMilliseconds() {
        Descriptor a = layer("a", 100 * MIB);
        progress.on(new CopyEvent.BlobStarted(a, false));
        int afterStart = written.toString().length();
        for (int i = 1; i <= 50; i++) {
            clock.addAndGet(MS); // 50 events within 50 ms
            progress.on(new CopyEvent.BlobProgress(a.digest(), i * MIB, 100 * MIB));
        }
        assertEquals(afterStart, written.toString().length(), "no redraw within 100 ms");
        clock.addAndGet(60 * MS);
        progress.on(new CopyEvent.BlobProgress(a.digest(), 51 * MIB, 100 * MIB));
        assertTrue(screen().get(0).contains("51.0MiB / 100.0MiB"), screen()::toString);
        assertEquals(1, screen().size());
    }

    @Test
    void linesNeverWrapPastTheTerminalWidth() {
        TerminalProgress narrow = new TerminalProgress(new PrintWriter(written), clock::get, () -> 40);
        narrow.on(new CopyEvent.BlobStarted(layer("a", 10 * MIB), false));
        assertEquals(39, screen().get(0).length(), screen()::toString);
    }

    /**
     * What a terminal would show: text written at the cursor, {@code \n} and {@code \r},
     * cursor-up ({@code ESC [ n A}) and erase-line ({@code ESC [ 2 K}), the only controls the bars use.
     */
    private List<String> screen() {
        String text = written.toString();
        List<StringBuilder> rows = new ArrayList<>();
        rows.add(new StringBuilder());
        int row = 0;
        int col = 0;
        for (int i = 0; i < text.length(); i++) {
            char ch = text.charAt(i);
            if (ch == '\u001b') {
                int end = i + 2;
                while (!Character.isLetter(text.charAt(end))) {
                    end++;
                }
                String arg = text.substring(i + 2, end);
                char command = text.charAt(end);
                if (command == 'A') {
                    row -= Integer.parseInt(arg);
                } else if (command == 'K' && arg.equals("2")) {
                    rows.get(row).setLength(0);
                } else {
                    throw new AssertionError("unexpected control sequence " + arg + command);
                }
                i = end;
            } else if (ch == '\n') {
                row++;
                col = 0;
                while (rows.size() <= row) {
                    rows.add(new StringBuilder());
                }
            } else if (ch == '\r') {
                col = 0;
            } else {
                StringBuilder line = rows.get(row);
                while (line.length() < col) {
                    line.append(' ');
                }
                if (col < line.length()) {
                    line.setCharAt(col, ch);
                } else {
                    line.append(ch);
                }
                col++;
            }
        }
        List<String> lines = new ArrayList<>(rows.stream().map(StringBuilder::toString).toList());
        while (!lines.isEmpty() && lines.get(lines.size() - 1).isEmpty()) {
            lines.remove(lines.size() - 1);
        }
        return lines;
    }
}
