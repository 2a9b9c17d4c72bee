package hoist.shell;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A hoist process started ahead of time: it loads the command line (so its start-up is over) and
 * then waits for one command on its stdin, runs it and exits with its status. Tests that kill a
 * command at a chosen moment start the next one while the current one runs, and time the kill
 * from the moment the command is sent.
 */
final class WarmHoist {

    private static final String READY = "hoist is ready";

    private final Process process;
    private final Path output;

    private WarmHoist(Process process, Path output) {
        this.process = process;
        this.output = output;
    }

    /**
     * Starts a process whose stdout and stderr go to {@code output}; before it is ready it runs
     * {@code warmUp} (hoist's arguments; none: {@code --version}), a command like the one to come
     * that loads and compiles the code it will run, so that the command's time is its own work.
     */
    static WarmHoist start(Path output, String... warmUp) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"), Entry.class.getName()));
        command.addAll(List.of(warmUp.length == 0 ? new String[] {"--version"} : warmUp));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
        return new WarmHoist(process, output);
    }

    /** Waits until the process has loaded the command line and waits for its command. */
    void awaitReady() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!output().contains(READY)) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                throw new IllegalStateException("hoist did not get ready: " + output());
            }
            Thread.sleep(5);
        }
    }

    /** Sends the command, hoist's arguments, once the process is ready. */
    void send(String... args) throws IOException, InterruptedException {
        awaitReady();
        OutputStream in = process.getOutputStream();
        in.write((String.join("\t", args) + "\n").getBytes(StandardCharsets.UTF_8));
        in.flush();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** SIGKILL, and waits until the process is gone (its file locks released). */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    /** Waits for the command to end; its exit status. */
    int waitFor(long seconds) throws InterruptedException {
        if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
            throw new IllegalStateException("hoist did not end within " + seconds + " s: " + output());
        }
        return process.exitValue();
    }

    /** What the process printed so far, both streams. */
    String output() {
        try {
            return Files.readString(output);
        } catch (IOException e) {
            return e.toString();
        }
    }

    /** The process: loads the command line, then runs the tab-separated command line it reads. */
    public static final class Entry {
        public static void main(String[] args) throws IOException {
            StringWriter warmUp = new StringWriter();
            if (Main.run(args, new PrintWriter(warmUp), new PrintWriter(warmUp)) != 0) {
                System.out.println("the warm-up failed: " + warmUp);
                System.exit(1);
            }
            System.out.println(READY);
            System.out.flush();
            String line = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
            if (line == null) {
                System.exit(0);
            }
            int status = Main.run(line.split("\t"), new PrintWriter(System.out, true), new PrintWriter(System.err, true));
            System.exit(status);
        }
    }
}
