package hoist.engine.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs a peer program (skopeo, buildah, docker) and fails the test with its stderr if it fails. */
public final class Command {

    /** How a program ended. */
    public record Result(int status, String out, String err) {
    }

    private Command() {
    }

    public static String run(String... command) {
        return run(List.of(command), Map.of());
    }

    public static String run(List<String> command, Map<String, String> env) {
        Result result = exec(command, env);
        if (result.status() != 0) {
            throw new AssertionError("command failed (" + result.status() + "): " + String.join(" ", command) + "\n" + result.err());
        }
        return result.out();
    }

    /** Runs without judging the outcome. */
    public static Result exec(List<String> command, Map<String, String> env) {
        try {
            Path out = Files.createTempFile("cmd-out", ".txt");
            Path err = Files.createTempFile("cmd-err", ".txt");
            try {
                ProcessBuilder builder = new ProcessBuilder(new ArrayList<>(command))
                        .redirectOutput(out.toFile()).redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
                builder.environment().putAll(env);
                Process process = builder.start();
                if (!process.waitFor(10, TimeUnit.MINUTES)) {
                    process.destroyForcibly();
                    throw new AssertionError("command timed out: " + String.join(" ", command));
                }
                return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                        Files.readString(err, StandardCharsets.UTF_8));
            } finally {
                Files.deleteIfExists(out);
                Files.deleteIfExists(err);
            }
        } catch (IOException e) {
            throw new AssertionError("cannot run " + command.get(0) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
