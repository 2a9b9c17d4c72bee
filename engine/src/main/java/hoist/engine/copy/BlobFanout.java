package hoist.engine.copy;

import hoist.engine.io.BulkInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Feeds one stream to several consumers at once, reading it only once: each chunk read is handed
 * to every consumer's bounded queue, so memory stays at a few chunks per consumer and the slowest
 * consumer sets the pace. A consumer that fails is dropped and the others go on; a source that
 * fails fails them all.
 *
 * <p>Because the read waits for the slowest consumer, consumers must never wait for one another
 * (for a buffer another holds, say): one waiting stops reading, its queue fills, the read stops,
 * and the one it waits for starves. Destinations lend their buffers without waiting (see the
 * registry client's {@code BufferPool}) for this reason.
 */
final class BlobFanout {

    private static final int CHUNK = 128 * 1024;
    private static final int QUEUE_CHUNKS = 8;

    /** Reads a stream to its end and produces a result (a destination storing a blob). */
    interface Sink<R> {
        R consume(InputStream in) throws IOException;
    }

    /** A consumer's result, or why it failed. */
    record Outcome<R>(R result, Throwable failure) {
        boolean succeeded() {
            return failure == null;
        }
    }

    /** The source itself could not be read (or was corrupt); every consumer lost. */
    static final class SourceFailedException extends IOException {
        SourceFailedException(Throwable cause) {
            super(cause.getMessage(), cause);
        }
    }

    private BlobFanout() {
    }

    static <R> List<Outcome<R>> run(InputStream source, List<Sink<R>> sinks, ExecutorService executor)
            throws SourceFailedException {
        if (sinks.size() == 1) {
            return List.of(runDirect(source, sinks.get(0)));
        }
        List<Pipe> pipes = new ArrayList<>();
        List<Future<R>> futures = new ArrayList<>();
        for (Sink<R> sink : sinks) {
            Pipe pipe = new Pipe();
            pipes.add(pipe);
            futures.add(executor.submit(() -> {
                try (pipe) {
                    return sink.consume(pipe);
                }
            }));
        }
        Throwable sourceFailure = pump(source, pipes);
        List<Outcome<R>> outcomes = new ArrayList<>();
        for (Future<R> future : futures) {
            outcomes.add(await(future));
        }
        if (sourceFailure != null) {
            throw new SourceFailedException(sourceFailure);
        }
        return outcomes;
    }

    /** One consumer: no thread, no copy; the source's own failures are told apart from the sink's. */
    private static <R> Outcome<R> runDirect(InputStream source, Sink<R> sink) throws SourceFailedException {
        GuardedStream guarded = new GuardedStream(source);
        try {
            return new Outcome<>(sink.consume(guarded), null);
        } catch (IOException | RuntimeException e) {
            if (guarded.failure != null) {
                throw new SourceFailedException(guarded.failure);
            }
            return new Outcome<>(null, e);
        }
    }

    private static Throwable pump(InputStream source, List<Pipe> pipes) {
        try {
            while (true) {
                byte[] chunk = new byte[CHUNK];
                int n = source.readNBytes(chunk, 0, CHUNK);
                if (n > 0) {
                    Chunk c = new Chunk(chunk, n, null);
                    pipes.forEach(p -> p.offer(c));
                }
                if (n < CHUNK) {
                    break; // readNBytes stops short only at the end
                }
            }
            pipes.forEach(p -> p.offer(Chunk.END));
            return null;
        } catch (IOException | RuntimeException e) {
            Chunk failed = new Chunk(null, 0, e);
            pipes.forEach(p -> p.offer(failed));
            return e;
        }
    }

    private static <R> Outcome<R> await(Future<R> future) {
        try {
            return new Outcome<>(future.get(), null);
        } catch (ExecutionException e) {
            return new Outcome<>(null, e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            future.cancel(true);
            return new Outcome<>(null, e);
        }
    }

    private record Chunk(byte[] bytes, int length, Throwable failure) {
        static final Chunk END = new Chunk(null, -1, null);
    }

    /** The consumer's end: a stream over the chunks handed to it. */
    private static final class Pipe extends BulkInputStream {
        private final BlockingQueue<Chunk> queue = new ArrayBlockingQueue<>(QUEUE_CHUNKS);
        private volatile boolean closed;
        private Chunk current;
        private int position;

        /** Hands a chunk over, waiting while the consumer is behind; a closed consumer takes nothing. */
        void offer(Chunk chunk) {
            try {
                while (!closed && !queue.offer(chunk, 100, TimeUnit.MILLISECONDS)) {
                    // waiting for the consumer to catch up, or to close
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                closed = true;
            }
        }


        @Override
        public int read(byte[] target, int offset, int length) throws IOException {
            if (length == 0) {
                return 0;
            }
            while (current == null || (current.failure() == null && current.length() >= 0 && position >= current.length())) {
                current = take();
                position = 0;
            }
            if (current.failure() != null) {
                throw new IOException("reading the source failed: " + current.failure().getMessage(), current.failure());
            }
            if (current.length() < 0) {
                return -1;
            }
            int n = Math.min(length, current.length() - position);
            System.arraycopy(current.bytes(), position, target, offset, n);
            position += n;
            return n;
        }

        private Chunk take() throws IOException {
            try {
                return queue.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("copy cancelled");
            }
        }

        @Override
        public void close() {
            closed = true;
            queue.clear();
        }
    }

    /** Remembers a failure of the stream it wraps, so the caller knows who failed. */
    private static final class GuardedStream extends java.io.FilterInputStream {
        private Throwable failure;

        GuardedStream(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            try {
                return super.read();
            } catch (IOException | RuntimeException e) {
                failure = e;
                throw e;
            }
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            try {
                return super.read(b, off, len);
            } catch (IOException | RuntimeException e) {
                failure = e;
                throw e;
            }
        }
    }
}
