package hoist.shell.console;

import hoist.dsl.PlainLines;
import hoist.engine.copy.CopyEvent;
import hoist.engine.copy.ProgressListener;
import hoist.engine.image.Descriptor;
import hoist.engine.image.Digest;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;

/**
 * Progress as bars for a terminal: one line per blob, redrawn in place (ANSI cursor movement) while
 * several blobs move at once, with podman's wording for the lines that are not bars. Bars that have
 * finished leave the redrawn block once every bar above them has finished too, so the block stays
 * as small as the blobs still moving. Events come from several threads; byte counts redraw at most
 * every {@link #REDRAW_INTERVAL_NANOS}, changes of state at once.
 */
public final class TerminalProgress implements ProgressListener {

    static final long REDRAW_INTERVAL_NANOS = 100_000_000L;
    private static final String CLEAR_LINE = "\u001b[2K";
    private static final int BAR_CELLS = 20;

    private enum State { RUNNING, DONE, SKIPPED, MOUNTED }

    /** One blob's line; mutable, and touched only under the listener's lock. */
    private static final class Bar {
        final String kind;
        final Digest digest;
        final long startedAt;
        long total;
        long done;
        State state = State.RUNNING;
        String mountedFrom;
        String destination; // named on the line when the copy has several

        Bar(String kind, Digest digest, long total, long startedAt) {
            this.kind = kind;
            this.digest = digest;
            this.total = total;
            this.startedAt = startedAt;
        }
    }

    private final PrintWriter out;
    private final LongSupplier nanoClock;
    private final IntSupplier columns;
    private final List<Bar> block = new ArrayList<>();
    private final Map<Digest, Bar> moving = new HashMap<>();
    private final List<String> pendingLines = new ArrayList<>();
    private int linesOnScreen;
    private boolean drawnOnce;
    private boolean severalDestinations;
    private long lastDrawAt;

    /** Bars on {@code out}, {@code columns} wide (read at every redraw: the terminal may be resized). */
    public TerminalProgress(PrintWriter out, IntSupplier columns) {
        this(out, System::nanoTime, columns);
    }

    TerminalProgress(PrintWriter out, LongSupplier nanoClock, IntSupplier columns) {
        this.out = out;
        this.nanoClock = nanoClock;
        this.columns = columns;
    }

    @Override
    public synchronized void on(CopyEvent event) {
        long now = nanoClock.getAsLong();
        boolean changedState = apply(event, now);
        if (changedState || !drawnOnce || now - lastDrawAt >= REDRAW_INTERVAL_NANOS) {
            redraw(now);
            drawnOnce = true;
            lastDrawAt = now;
        }
    }

    /** Updates the model; true when the event changed more than a byte count. */
    private boolean apply(CopyEvent event, long now) {
        if (event instanceof CopyEvent.BlobProgress e) {
            Bar bar = moving.get(e.blob());
            if (bar == null) {
                return false;
            }
            bar.done = e.done();
            bar.total = e.total();
            return false;
        }
        if (event instanceof CopyEvent.CopyStarted e) {
            severalDestinations = e.destinations().size() > 1;
            return false;
        }
        if (event instanceof CopyEvent.BlobStarted e) {
            Bar bar = new Bar(e.config() ? "config" : "blob", e.blob().digest(), e.blob().size(), now);
            moving.put(bar.digest, bar);
            block.add(bar);
        } else if (event instanceof CopyEvent.BlobDone e) {
            Bar bar = moving.remove(e.blob());
            if (bar != null) {
                bar.done = bar.total > 0 ? bar.total : e.bytes();
                bar.state = State.DONE;
            }
        } else if (event instanceof CopyEvent.BlobSkipped e) {
            block.add(finished(e.blob(), State.SKIPPED, null, severalDestinations ? e.destination() : null, now));
        } else if (event instanceof CopyEvent.BlobMounted e) {
            block.add(finished(e.blob(), State.MOUNTED, e.from(), severalDestinations ? e.destination() : null, now));
        } else {
            String line = severalDestinations ? PlainLines.lineNamingDestination(event) : PlainProgress.line(event);
            if (line == null) {
                return false;
            }
            pendingLines.add(line);
        }
        return true;
    }

    private static Bar finished(Descriptor blob, State state, String mountedFrom, String destination, long now) {
        Bar bar = new Bar("blob", blob.digest(), blob.size(), now);
        bar.state = state;
        bar.mountedFrom = mountedFrom;
        bar.destination = destination;
        return bar;
    }

    /**
     * Moves up to the top of the block drawn last time and draws everything again: new plain
     * lines, then finished bars leaving the block, then the block. Never fewer lines than were
     * there, so nothing stale is left below.
     */
    private void redraw(long now) {
        StringBuilder screen = new StringBuilder();
        if (linesOnScreen > 0) {
            screen.append('\r').append("\u001b[").append(linesOnScreen).append('A');
        }
        int width = Math.max(20, columns.getAsInt() > 0 ? columns.getAsInt() : 80) - 1;
        for (String line : pendingLines) {
            screen.append(CLEAR_LINE).append(fit(line, width)).append('\n');
        }
        pendingLines.clear();
        while (!block.isEmpty() && block.get(0).state != State.RUNNING) {
            screen.append(CLEAR_LINE).append(fit(render(block.remove(0), now), width)).append('\n');
        }
        for (Bar bar : block) {
            screen.append(CLEAR_LINE).append(fit(render(bar, now), width)).append('\n');
        }
        linesOnScreen = block.size();
        out.print(screen);
        out.flush();
    }

    private static String fit(String line, int width) {
        return line.length() <= width ? line : line.substring(0, width);
    }

    private static String render(Bar bar, long now) {
        String head = "Copying " + bar.kind + " " + bar.digest.hex().substring(0, Math.min(12, bar.digest.hex().length()));
        return switch (bar.state) {
            case SKIPPED -> head + " skipped: already exists" + (bar.destination == null ? "" : " at " + bar.destination);
            case MOUNTED -> head + " mounted from " + bar.mountedFrom + (bar.destination == null ? "" : " at " + bar.destination);
            case DONE -> head + " done " + bytes(bar.done);
            case RUNNING -> head + " " + meter(bar) + " " + bytes(bar.done) + " / " + bytes(bar.total)
                    + " " + rate(bar.done, now - bar.startedAt);
        };
    }

    private static String meter(Bar bar) {
        int filled = bar.total > 0 ? (int) Math.min(BAR_CELLS, bar.done * BAR_CELLS / bar.total) : 0;
        StringBuilder meter = new StringBuilder("[");
        meter.append("=".repeat(filled));
        if (filled < BAR_CELLS) {
            meter.append('>').append("-".repeat(BAR_CELLS - filled - 1));
        }
        return meter.append(']').toString();
    }

    private static String rate(long bytes, long elapsedNanos) {
        if (elapsedNanos <= 0) {
            return "- /s";
        }
        return bytes((long) (bytes * 1e9 / elapsedNanos)) + "/s";
    }

    /** Sizes as podman shows them: B, then KiB, MiB, GiB with one decimal. */
    static String bytes(long n) {
        if (n < 1024) {
            return n + "B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double value = n / 1024.0;
        int unit = 0;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, "%.1f%s", value, units[unit]);
    }
}
