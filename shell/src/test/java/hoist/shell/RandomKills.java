package hoist.shell;

import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Random;
import java.util.function.IntFunction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs one hoist command again and again in {@link WarmHoist} processes and kills it with SIGKILL
 * at random moments: first one whole run measures how long the command lasts from the moment it
 * is sent; then each run is killed after a delay drawn (seeded) uniformly from that length and a
 * tenth more, so that the kills fall over the whole command, its last writes included. A run that
 * ended before its kill must have succeeded. Two processes are kept starting ahead, so that a
 * process's start-up overlaps the checks of the run before.
 */
final class RandomKills {

    /** What the test does after a run: {@code when} says which kill it follows, for messages. */
    @FunctionalInterface
    interface Step {
        void run(String when) throws Exception;
    }

    private final Path dir;
    private final IntFunction<String[]> warmUp;
    private final Deque<WarmHoist> spares = new ArrayDeque<>();
    private int started;

    /** Processes write their output in {@code dir}; {@code warmUp} gives the warm-up command of the n-th process. */
    RandomKills(Path dir, IntFunction<String[]> warmUp) {
        this.dir = dir;
        this.warmUp = warmUp;
    }

    /**
     * Kills {@code command} {@code kills} times; after the measuring run and after each kill or
     * run that ended by itself, runs {@code after}.
     *
     * @return the runs that ended before their kill
     */
    int run(String[] command, int kills, long seed, Step after) throws Exception {
        try {
            spare();
            WarmHoist measured = take();
            measured.awaitReady();
            long t0 = System.nanoTime();
            measured.send(command);
            assertEquals(0, measured.waitFor(120), measured::output);
            long length = System.nanoTime() - t0;
            after.run("after the measuring run of " + length / 1_000_000L + " ms");

            Random random = new Random(seed);
            int killed = 0;
            int finished = 0;
            while (killed < kills) {
                assertTrue(finished < kills, "too many runs ended before their kill: " + finished);
                WarmHoist current = take();
                long delay = (long) (random.nextDouble() * length * 1.1);
                current.awaitReady();
                long start = System.nanoTime();
                current.send(command);
                long wait = start + delay - System.nanoTime();
                if (wait > 0) {
                    Thread.sleep(wait / 1_000_000L, (int) (wait % 1_000_000L));
                }
                if (current.isAlive()) {
                    current.kill();
                    killed++;
                } else {
                    assertEquals(0, current.waitFor(1), current::output);
                    finished++;
                }
                after.run("after a kill " + delay / 1_000_000L + " ms into a run of " + length / 1_000_000L + " ms");
            }
            return finished;
        } finally {
            for (WarmHoist spare : spares) {
                spare.kill();
            }
        }
    }

    /** The oldest spare process, another one started in its place. */
    private WarmHoist take() throws Exception {
        WarmHoist next = spares.removeFirst();
        spare();
        return next;
    }

    private void spare() throws Exception {
        while (spares.size() < 2) {
            spares.addLast(WarmHoist.start(dir.resolve("run" + started + ".out"), warmUp.apply(started)));
            started++;
        }
    }
}
