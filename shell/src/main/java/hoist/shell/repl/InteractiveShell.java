package hoist.shell.repl;

import hoist.dsl.Results;
import hoist.dsl.Session;
import hoist.dsl.groovy.ScriptExit;
import hoist.dsl.groovy.ScriptHost;
import hoist.engine.HoistException;
import hoist.engine.copy.ProgressListener;
import hoist.shell.console.CommandThread;
import hoist.shell.console.FailureReport;
import hoist.shell.console.PlainProgress;
import hoist.shell.console.TerminalProgress;
import org.jline.builtins.Commands;
import org.jline.builtins.SyntaxHighlighter;
import org.jline.console.impl.SystemHighlighter;
import org.jline.console.impl.SystemRegistryImpl;
import org.jline.reader.Completer;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import org.jline.utils.InfoCmp;
import org.jline.widget.TailTipWidgets;

import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The interactive shell, assembled from JLine's parts: a {@link SystemRegistryImpl} over the
 * command model ({@link HoistCommands}) and the shell's own words ({@link ShellWords}) gives
 * completion and the descriptions {@link TailTipWidgets} shows while typing; {@link
 * SystemHighlighter} colours command lines and Groovy; {@code history} is JLine's. Each line, a
 * command line or Groovy ({@link ScriptHost#evaluateLine}), runs on a worker thread so that Ctrl-C
 * can cancel it (the thread is interrupted; the copy engine stops and leaves nothing behind) while
 * the shell goes on. Ctrl-C at the prompt clears the line; Ctrl-D, {@code exit}, {@code exit()}
 * or {@code quit} leave; {@code clear} clears the screen; {@code help} says how the shell reads
 * lines, {@code help COMMAND} shows a command's options.
 *
 * <p>Lines that do not come from a person at a terminal ({@code printf 'images\n' | hoist}) are
 * run the same way, one after the other, but without a prompt or history, with errors and progress
 * on stderr; the exit status is that of the last line that failed (0 when none did), so a failure
 * is not hidden by the lines after it.
 */
public final class InteractiveShell {

    private static final String PROMPT = "hoist> ";
    /** Where a line that goes on is continued: as wide as the prompt. */
    private static final String CONTINUATION = "  ...> ";
    private static final Duration REGISTRY_COMPLETION_TIMEOUT = Duration.ofSeconds(3);

    private final Terminal terminal;
    private final Session session;
    private final ScriptHost host;
    private final Path historyFile;
    private volatile CommandThread runningCommand;
    private final boolean interactive;
    private int lastFailure;
    private Integer exitStatus;

    /**
     * A shell on {@code terminal}; {@code interactive} false for lines piped in (no prompt, no
     * history, the exit status of the last failure); {@code historyFile} where history is kept.
     */
    public InteractiveShell(Terminal terminal, Session session, ScriptHost host, Path historyFile, boolean interactive) {
        this.terminal = terminal;
        this.interactive = interactive;
        this.session = session;
        this.host = host;
        this.historyFile = historyFile;
    }

    /**
     * Runs the shell on this process's terminal, with the context and {@code --debug} the global
     * options gave {@code options}; returns the exit status. {@code err} reports a terminal that
     * cannot be opened.
     */
    public static int runOnSystemTerminal(Session options, PrintWriter err) {
        // a person types when stdin and stdout are both a terminal; otherwise lines are piped in
        boolean interactive = System.console() != null;
        // dumb: lines piped in are read as typed, without a warning about the missing terminal
        try (Terminal terminal = TerminalBuilder.builder().name("hoist").system(true).dumb(true).build()) {
            PrintWriter screen = terminal.writer();
            Session session = interactive
                    ? new Session(options.context(), screen, screen, quiet -> progress(quiet, terminal))
                    : new Session(options.context(), screen, err,
                            quiet -> quiet ? ProgressListener.NONE : new PlainProgress(err));
            session.debug(options.debug());
            session.storage(options.storage());
            return new InteractiveShell(terminal, session, new ScriptHost(session), defaultHistoryFile(), interactive).run();
        } catch (IOException e) {
            err.println("Error: cannot open the terminal: " + e.getMessage());
            return HoistException.FAILED;
        }
    }

    /** Bars on a terminal that can move its cursor, plain lines on one that cannot. */
    private static ProgressListener progress(boolean quiet, Terminal terminal) {
        if (quiet) {
            return ProgressListener.NONE;
        }
        boolean dumb = terminal.getType().startsWith(Terminal.TYPE_DUMB);
        return dumb ? new PlainProgress(terminal.writer()) : new TerminalProgress(terminal.writer(), terminal::getWidth);
    }

    /** {@code $XDG_STATE_HOME/hoist/history}, by default {@code ~/.local/state/hoist/history}. */
    static Path defaultHistoryFile() {
        String state = System.getenv("XDG_STATE_HOME");
        Path base = state != null && !state.isEmpty() ? Path.of(state)
                : Path.of(System.getProperty("user.home"), ".local", "state");
        return base.resolve("hoist").resolve("history");
    }

    public int run() {
        LineReader reader = reader();
        terminal.handle(Terminal.Signal.INT, signal -> cancelRunningCommand());
        // SIGTERM (or SIGHUP) ends the JVM: the running command is cancelled first, so it cleans up
        Thread onExit = new Thread(() -> {
            CommandThread command = runningCommand;
            if (command != null) {
                command.cancelAndWait(CommandThread.SHUTDOWN_GRACE);
            }
        }, "hoist-shell-exit");
        Runtime.getRuntime().addShutdownHook(onExit);
        try {
            return readAndRun(reader);
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(onExit);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running or has run
            }
        }
    }

    private int readAndRun(LineReader reader) {
        while (exitStatus == null) {
            String line;
            reader.setTailTip(""); // the tip of the line before (Ctrl-C leaves it) is no tip for the next
            try {
                line = reader.readLine(interactive ? PROMPT : "");
            } catch (UserInterruptException e) {
                continue; // Ctrl-C at the prompt: the line is dropped, the shell stays
            } catch (EndOfFileException e) {
                break;
            }
            String trimmed = line.strip();
            List<String> words = List.of(trimmed.split("\\s+"));
            switch (words.get(0)) {
                case "" -> { }
                case ShellWords.EXIT, ShellWords.QUIT -> {
                    if (words.size() == 1) {
                        exitStatus = interactive ? 0 : lastFailure;
                    } else {
                        runCancellable(trimmed);
                    }
                }
                case ShellWords.CLEAR -> clear();
                case ShellWords.HISTORY -> history(reader, words.subList(1, words.size()));
                case ShellWords.HELP -> {
                    if (words.size() == 1) {
                        session.out().println(ShellWords.help(host.runner().commandLine()));
                        session.out().flush();
                    } else {
                        runCancellable(trimmed);
                    }
                }
                default -> runCancellable(trimmed);
            }
        }
        if (interactive) {
            saveHistory(reader);
        }
        return exitStatus != null ? exitStatus : interactive ? 0 : lastFailure;
    }

    private void clear() {
        terminal.puts(InfoCmp.Capability.clear_screen);
        terminal.flush();
    }

    /** JLine's own {@code history} command: the lines typed, {@code -c} to clear them, and its other options. */
    private void history(LineReader reader, List<String> args) {
        PrintStream out = new PrintStream(terminal.output(), true);
        try {
            Commands.history(reader, out, out, Path.of("").toAbsolutePath(), args.toArray(String[]::new));
        } catch (Exception e) {
            lastFailure = FailureReport.report(new HoistException("history: " + HoistException.describe(e), e), session);
        }
        out.flush();
    }

    private LineReader reader() {
        ShellParser parser = new ShellParser(host::isCommandLine);
        ReferenceCompletion references = new ReferenceCompletion(() -> session, REGISTRY_COMPLETION_TIMEOUT);
        SystemRegistryImpl system = new SystemRegistryImpl(parser, terminal, () -> Path.of("").toAbsolutePath(), null);
        system.setCommandRegistries(new HoistCommands(host.runner().commandLine(), references), new ShellWords());
        Completer commandLines = system.completer();
        GroovyCompletion groovy = new GroovyCompletion(host, references);
        LineReaderBuilder builder = LineReaderBuilder.builder()
                .terminal(terminal)
                .appName("hoist")
                .parser(parser)
                .completer((reader, line, candidates) -> {
                    if (ShellParser.isGroovy(line)) {
                        groovy.complete(reader, line, candidates);
                    } else {
                        commandLines.complete(reader, line, candidates);
                        if (line.wordIndex() == 0) {
                            groovy.complete(reader, line, candidates); // a variable or method may start the line too
                        }
                    }
                })
                .option(LineReader.Option.DISABLE_EVENT_EXPANSION, true) // '!' belongs to Groovy
                .variable(LineReader.SECONDARY_PROMPT_PATTERN, interactive ? CONTINUATION : "");
        if (interactive) {
            builder.variable(LineReader.HISTORY_FILE, prepareHistoryFile())
                    .highlighter(new SystemHighlighter(syntax("command"), syntax("arguments"), syntax("groovy")));
        }
        LineReader reader = builder.build();
        if (interactive) {
            // the arguments still to type, after the cursor; the options' descriptions come with Tab
            new TailTipWidgets(reader, system::commandDescription, 0, TailTipWidgets.TipType.TAIL_TIP).enable();
        }
        return reader;
    }

    /** One of the shell's nanorc grammars ({@code hoist/shell/repl/NAME.nanorc} on the class path). */
    private static SyntaxHighlighter syntax(String name) {
        return SyntaxHighlighter.build("classpath:/hoist/shell/repl/" + name + ".nanorc");
    }

    /** The history file, made readable by its owner only: typed lines may hold a password. */
    private Path prepareHistoryFile() {
        try {
            Files.createDirectories(historyFile.getParent());
            if (Files.notExists(historyFile)) {
                Files.createFile(historyFile, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                        java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")));
            }
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: the file is made as the system makes files
        } catch (IOException e) {
            session.err().println("Error: history is not kept: cannot create " + historyFile.getParent());
        }
        return historyFile;
    }

    private void saveHistory(LineReader reader) {
        try {
            reader.getHistory().save();
        } catch (IOException e) {
            session.err().println("Error: history is not kept: " + e.getMessage());
        }
    }

    /** Evaluates the line on a worker thread that Ctrl-C interrupts, and prints its result or failure. */
    private void runCancellable(String line) {
        CommandThread command = CommandThread.start(() -> host.evaluateLine(line));
        runningCommand = command;
        CommandThread.Outcome outcome;
        try {
            outcome = command.await();
        } catch (InterruptedException e) {
            command.cancel();
            Thread.currentThread().interrupt();
            return;
        } finally {
            runningCommand = null;
        }
        if (outcome.cancelled()) {
            session.err().println(); // past the ^C the terminal echoed
        }
        if (outcome.failure() instanceof ScriptExit exit) {
            exitStatus = exit.exitStatus(); // exit() or exit(3) typed at the prompt leaves the shell
        } else if (outcome.failure() != null) {
            lastFailure = FailureReport.report(outcome.failure(), session);
        } else {
            String text = Results.text(outcome.result());
            if (!text.isEmpty()) {
                session.out().println(text);
            }
        }
        session.out().flush();
    }

    private void cancelRunningCommand() {
        CommandThread command = runningCommand;
        if (command != null) {
            command.cancel();
        }
    }
}
