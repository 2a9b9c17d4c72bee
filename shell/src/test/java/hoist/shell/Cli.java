package hoist.shell;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Runs hoist's command line in this JVM against a store of the test's own, capturing its output. */
final class Cli {

    /** What one run printed, and how it ended. */
    record Run(int status, String out, String err) {
        @Override
        public String toString() {
            return "status " + status + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    private final Path root;

    /** Asserts that {@code run} succeeded (status 0, its output in the message otherwise); returns it. */
    static Run ok(Run run) {
        org.junit.jupiter.api.Assertions.assertEquals(0, run.status(), run::toString);
        return run;
    }

    Cli(Path root) {
        this.root = root;
    }

    Run run(String... args) {
        List<String> all = new ArrayList<>(List.of("--root", root.toString()));
        all.addAll(List.of(args));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = Main.run(all.toArray(String[]::new), new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(status, out.toString(), err.toString());
    }
}
