package hoist.engine.compress;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads that compress gzip blocks: one per processor, shared by every layer being
 * compressed in the process, so that however many layers go at once the CPU is not
 * oversubscribed. Daemon threads, started on first use; each keeps its own deflate state.
 */
final class CompressionWorkers {

    private static final ExecutorService POOL = Executors.newFixedThreadPool(threads(), new ThreadFactory() {
        private final AtomicInteger count = new AtomicInteger();

        @Override
        public Thread newThread(Runnable task) {
            Thread thread = new Thread(task, "hoist-deflate-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        }
    });

    private CompressionWorkers() {
    }

    static ExecutorService pool() {
        return POOL;
    }

    static int threads() {
        return Math.max(1, Runtime.getRuntime().availableProcessors());
    }
}
