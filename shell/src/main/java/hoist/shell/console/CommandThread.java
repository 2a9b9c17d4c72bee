package hoist.shell.console;

import java.time.Duration;
import java.util.concurrent.Callable;

/**
 * One command run on a worker thread of its own, so that it can be cancelled from outside: Ctrl-C
 * in the shell, SIGINT or SIGTERM on the command line. Cancelling interrupts the worker; the copy
 * engine then stops its transfers and removes what it had staged, so nothing half-written stays
 * at a destination. The shell and the command line cancel through this one class.
 */
public final class CommandThread {

    /** How long a command stopped by SIGINT or SIGTERM may take to clean up before the JVM exits. */
    public static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(10);

    /**
     * How a command ended: {@code result} what it returned (null when it failed or returned
     * nothing), {@code failure} what it threw (null on success), {@code cancelled} whether
     * {@link #cancel()} was called while it ran.
     */
    public record Outcome(Object result, Throwable failure, boolean cancelled) {
    }

    private final Thread worker;
    private volatile Object result;
    private volatile Throwable failure;
    private volatile boolean cancelled;

    private CommandThread(Callable<?> command) {
        this.worker = new Thread(() -> {
            try {
                result = command.call();
            } catch (Exception | Error e) {
                failure = e;
            }
        }, "hoist-command");
    }

    /** Starts {@code command} on a new worker thread. */
    public static CommandThread start(Callable<?> command) {
        CommandThread thread = new CommandThread(command);
        thread.worker.start();
        return thread;
    }

    /**
     * Waits until the command ends and returns how. Throws {@link InterruptedException} when the
     * waiting thread is interrupted; the command then goes on until cancelled.
     */
    public Outcome await() throws InterruptedException {
        worker.join();
        return new Outcome(result, failure, cancelled);
    }

    /** Asks the command to stop (interrupts its thread); does nothing once it has ended. */
    public void cancel() {
        if (worker.isAlive()) {
            cancelled = true;
            worker.interrupt();
        }
    }

    /**
     * Cancels the command and waits at most {@code grace} for it to clean up and end: what a
     * shutdown hook does before the JVM exits. Returns whether it ended in time.
     */
    public boolean cancelAndWait(Duration grace) {
        cancel();
        try {
            worker.join(grace.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return !worker.isAlive();
    }

    /** Whether the command is still running. */
    public boolean running() {
        return worker.isAlive();
    }
}
