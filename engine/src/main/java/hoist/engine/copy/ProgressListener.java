package hoist.engine.copy;

/** Receives {@link CopyEvent}s; called from several threads at once. */
@FunctionalInterface
public interface ProgressListener {

    ProgressListener NONE = event -> { };

    void on(CopyEvent event);
}
