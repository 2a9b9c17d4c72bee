package hoist.dsl.groovy;

import hoist.dsl.Session;
import hoist.engine.HoistException;
import hoist.engine.copy.ProgressListener;
import hoist.engine.transport.TransportContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Shell lines as the script host takes them. */
class ScriptHostTest {

    @TempDir
    Path temp;

    private ScriptHost host() {
        return new ScriptHost(new Session(TransportContext.defaults().withStoreRoot(temp),
                new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()), quiet -> ProgressListener.NONE));
    }

    @Test
    void variablesLiveFromOneLineToTheNextDeclaredOrNot() {
        ScriptHost host = host();
        host.evaluateLine("x = 21");
        host.evaluateLine("def y = 2");
        assertEquals(42, host.evaluateLine("x * y"));
    }

    @Test
    void aMistypedCommandLineSuggestsTheCommand() {
        HoistException e = assertThrows(HoistException.class, () -> host().evaluateLine("psh app oci:/tmp/x:1"));
        assertEquals(HoistException.USAGE, e.exitStatus());
        assertTrue(e.getMessage().contains("unknown command \"psh\"; did you mean push"), e.getMessage());
    }

    @Test
    void aMissingVariableIsNamed() {
        HoistException e = assertThrows(HoistException.class, () -> host().evaluateLine("println nothingHere"));
        assertTrue(e.getMessage().contains("nothingHere"), e.getMessage());
    }
}
