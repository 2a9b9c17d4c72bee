package hoist.shell;

import hoist.engine.testing.Command;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * A program running in a pseudo-terminal of its own (a tmux server on a private socket): keys are
 * typed into it and its screen is read back, as a person at a terminal would.
 */
final class Tmux implements AutoCloseable {

    private static final String SESSION = "main";

    private final String socket;

    private Tmux(String socket) {
        this.socket = socket;
    }

    /** Starts {@code command} (run directly, no shell) in a {@code columns} x {@code rows} terminal. */
    static Tmux start(List<String> command, Map<String, String> env, int columns, int rows) {
        Tmux tmux = new Tmux("hoist-test-" + ProcessHandle.current().pid() + "-" + System.nanoTime());
        List<String> args = new ArrayList<>(List.of("-f", "/dev/null", "new-session", "-d", "-s", SESSION,
                "-x", String.valueOf(columns), "-y", String.valueOf(rows)));
        env.forEach((name, value) -> args.addAll(List.of("-e", name + "=" + value)));
        args.addAll(command);
        tmux.tmux(args);
        tmux.tmux(List.of("set-option", "-t", SESSION, "remain-on-exit", "on"));
        return tmux;
    }

    /** Types keys: text, or tmux key names such as {@code Tab}, {@code Enter}, {@code C-c}. */
    void send(String... keys) {
        List<String> args = new ArrayList<>(List.of("send-keys", "-t", SESSION));
        args.addAll(List.of(keys));
        tmux(args);
    }

    /** Types text literally (no key names). */
    void type(String text) {
        tmux(List.of("send-keys", "-t", SESSION, "-l", text));
    }

    /** The screen and its scrollback, wrapped lines joined. */
    String screen() {
        return tmux(List.of("capture-pane", "-p", "-J", "-S", "-", "-t", SESSION));
    }

    /** The screen as it shows now, without the scrollback. */
    String visible() {
        return tmux(List.of("capture-pane", "-p", "-J", "-t", SESSION));
    }

    /**
     * Where new output starts: the screen up to (not including) its last non-empty line, the
     * prompt being typed on. What is above it stays as it is; what is at and after it is new.
     */
    int mark() {
        String screen = screen().stripTrailing();
        return screen.lastIndexOf('\n') + 1;
    }

    /**
     * Polls the screen from {@code mark} on until it satisfies {@code condition}; fails with the
     * screen when {@code timeout} passes first. Returns that part of the screen.
     */
    String waitFor(String what, int mark, Duration timeout, Predicate<String> condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        String screen = since(mark);
        while (!condition.test(screen)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what + "; the screen:\n" + screen());
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + what, e);
            }
            screen = since(mark);
        }
        return screen;
    }

    private String since(int mark) {
        String screen = screen();
        return screen.substring(Math.min(mark, screen.length()));
    }

    /** Whether the program in the terminal has ended. */
    boolean exited() {
        return tmux(List.of("display-message", "-p", "-t", SESSION, "#{pane_dead}")).strip().equals("1");
    }

    private String tmux(List<String> args) {
        List<String> command = new ArrayList<>(List.of("tmux", "-L", socket));
        command.addAll(args);
        return Command.run(command, Map.of());
    }

    @Override
    public void close() {
        Command.exec(List.of("tmux", "-L", socket, "kill-server"), Map.of());
    }
}
