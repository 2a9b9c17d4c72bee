package hoist.dsl;

import hoist.engine.HoistException;
import hoist.engine.copy.ProgressListener;
import hoist.engine.transport.TransportContext;
import hoist.engine.transport.Warnings;

import java.io.PrintWriter;
import java.util.function.Supplier;

/**
 * What every command runs against: the transports' context (local store root, temp dir,
 * platform), where normal and diagnostic output go, and how progress is shown. The shell builds
 * one per invocation; global options adjust it.
 */
public final class Session {

    /** Makes the listener that shows a copy's progress; {@code quiet} wants none. */
    @FunctionalInterface
    public interface ProgressFactory {
        ProgressListener create(boolean quiet);
    }

    private TransportContext context;
    private final PrintWriter out;
    private final PrintWriter err;
    private final ProgressFactory progress;
    private boolean debug;
    private String storage = "local";
    private Supplier<Scripts> scripts;
    private Scripts scriptsMade;

    public Session(TransportContext context, PrintWriter out, PrintWriter err, ProgressFactory progress) {
        // warnings go where the session's diagnostics go, each once per session
        this.context = context.withRegistry(context.registry().withWarnings(Warnings.printingTo(err)));
        this.out = out;
        this.err = err;
        this.progress = progress;
    }

    public TransportContext context() {
        return context;
    }

    public void context(TransportContext newContext) {
        this.context = newContext;
    }

    public PrintWriter out() {
        return out;
    }

    public PrintWriter err() {
        return err;
    }

    public ProgressListener progress(boolean quiet) {
        return progress.create(quiet);
    }

    /**
     * The transport a bare image name is read from (and a pull writes to): {@code local}, the
     * embedded store, or {@code containers-storage}, podman's and buildah's.
     */
    public String storage() {
        return storage;
    }

    public void storage(String transport) {
        this.storage = transport;
    }

    /**
     * Where {@code run} and {@code -e} send their Groovy: made by {@code scripts} on first use
     * (compiling Groovy is costly; a command line that runs none never pays for it).
     */
    public void scripts(Supplier<Scripts> factory) {
        this.scripts = factory;
        this.scriptsMade = null;
    }

    /**
     * What runs scripts for this session; throws a {@link HoistException} when the program that
     * built the session runs none.
     */
    public synchronized Scripts scripts() {
        if (scriptsMade == null) {
            if (scripts == null) {
                throw new HoistException("scripts cannot be run here");
            }
            scriptsMade = scripts.get();
        }
        return scriptsMade;
    }

    public boolean debug() {
        return debug;
    }

    public void debug(boolean value) {
        this.debug = value;
    }
}
