package hoist.shell.repl;

import hoist.dsl.Session;
import hoist.shell.console.CommandThread;
import hoist.shell.console.FailureReport;
import hoist.engine.HoistException;
import hoist.engine.copy.ProgressListener;
import hoist.dsl.groovy.ScriptHost;
import hoist.shell.console.PlainProgress;
import hoist.shell.console.TerminalProgress;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.reader.impl.DefaultParser;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The interactive shell: reads lines with completion, history and highlighting, and runs each on a
 * worker thread so that Ctrl-C can cancel it (the thread is interrupted; the copy engine stops and
 * leaves nothing behind) while the shell goes on. Ctrl-C at the prompt clears the line; Ctrl-D,
 * {@code exit} or {@code quit} leave.
 *
 * <p>Lines that do not come from a person at a terminal ({@code printf 'images\n' | hoist}) are
 * run the same way, one after the other, but without a prompt or history, with errors and progress
 * on stderr; the exit status is that of the last line that failed (0 when none did), so a failure
 * is not hidden by the lines after it.
 */
public final class InteractiveShell {

    private static final String PROMPT = "hoist> ";
    private static final Duration REGISTRY_COMPLETION_TIMEOUT = Duration.ofSeconds(3);

    private final Terminal terminal;
    private final Session session;
    private final LineEvaluator evaluator;
    private final CommandTree commands;
    private final Path historyFile;
    private volatile CommandThread runningCommand;
    private final boolean interactive;
    private int lastFailure;

    /**
     * A shell on {@code terminal}; {@code interactive} false for lines piped in (no prompt, no
     * history, the exit status of the last failure); {@code historyFile} where history is kept.
     */
    public InteractiveShell(Terminal terminal, Session session, LineEvaluator evaluator, Path historyFile,
                            boolean interactive) {
        this.terminal = terminal;
        this.interactive = interactive;
        this.session = session;
        this.evaluator = evaluator;
        this.commands = new CommandTree(session);
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
            LineEvaluator lines = new ScriptLines(new ScriptHost(session));
            return new InteractiveShell(terminal, session, lines, defaultHistoryFile(), interactive).run();
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
        while (true) {
            String line;
            try {
                line = reader.readLine(interactive ? PROMPT : "");
            } catch (UserInterruptException e) {
                continue; // Ctrl-C at the prompt: the line is dropped, the shell stays
            } catch (EndOfFileException e) {
                break;
            }
            String trimmed = line.strip();
            if (trimmed.equals("exit") || trimmed.equals("quit")) {
                break;
            }
            if (!trimmed.isEmpty()) {
                runCancellable(trimmed);
            }
        }
        if (!interactive) {
            return lastFailure;
        }
        saveHistory(reader);
        return 0;
    }

    private LineReader reader() {
        DefaultParser parser = new DefaultParser();
        // a closure or list typed over several lines is read whole before it is run
        parser.setEofOnUnclosedBracket(DefaultParser.Bracket.CURLY, DefaultParser.Bracket.ROUND, DefaultParser.Bracket.SQUARE);
        parser.setEofOnUnclosedQuote(true);
        ReferenceCompletion references = new ReferenceCompletion(session::context, REGISTRY_COMPLETION_TIMEOUT);
        LineReaderBuilder builder = LineReaderBuilder.builder()
                .terminal(terminal)
                .appName("hoist")
                .parser(parser)
                .completer(new HoistCompleter(commands, references))
                .highlighter(new ShellHighlighter(commands::commandNames))
                .option(LineReader.Option.DISABLE_EVENT_EXPANSION, true); // '!' belongs to Groovy
        if (interactive) {
            builder.variable(LineReader.HISTORY_FILE, prepareHistoryFile());
        } else {
            builder.variable(LineReader.SECONDARY_PROMPT_PATTERN, ""); // no prompt on a closure's later lines either
        }
        return builder.build();
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
        CommandThread command = CommandThread.start(() -> evaluator.evaluate(line));
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
        if (outcome.failure() != null) {
            lastFailure = FailureReport.report(outcome.failure(), session);
        } else {
            String text = evaluator.display(outcome.result());
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
