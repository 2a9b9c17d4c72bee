package hoist.shell;

import hoist.engine.testing.TestImages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Results a script tests in an {@code if} read as the yes or no they mean. */
class ScriptBooleansTest {

    @TempDir
    Path temp;

    private Cli.Run eval(String... lines) {
        return new Cli(temp.resolve("store")).run("-e", String.join("\n", lines));
    }

    @Test
    void manifestExistsIsABoolean() {
        Cli.Run run = eval(
                "if (manifest.exists('localhost/missing:1')) { println 'wrongly there' } else { println 'missing' }",
                "assert manifest.exists('localhost/missing:1') == false",
                "assert !manifest('exists', 'localhost/missing:1')",
                "manifest.create('localhost/there:1')",
                "assert manifest.exists('localhost/there:1') == true",
                "println manifest.exists('localhost/there:1') ? 'there' : 'wrongly missing'");
        assertEquals(0, run.status(), run::toString);
        assertEquals(List.of("missing", "there"), run.out().strip().lines().toList());
    }

    @Test
    void aCopyAndEachDestinationAreTrueWhenTheySucceeded() {
        String layout = "oci:" + temp.resolve("out") + ":x";
        Cli.Run run = eval(
                "def ok = copy('" + TestImages.multiLayer() + "', '" + layout + "', quiet: true)",
                "assert ok",
                "try {",
                "  copy '" + TestImages.multiLayer() + "', 'docker://127.0.0.1:1/none/app:1', '" + layout + "2', quiet: true, retry: 0",
                "  println 'wrongly succeeded'",
                "} catch (CopyFailedException e) {",
                "  println(e.result ? 'wrongly true' : 'failed')",
                "  println e.result.destinations.findAll { it }.size()",
                "  println e.result.destinations.findAll { !it }*.destination",
                "}");
        assertEquals(0, run.status(), run::toString);
        assertEquals(List.of("failed", "1", "[docker://127.0.0.1:1/none/app:1]"), run.out().strip().lines().toList());
    }
}
