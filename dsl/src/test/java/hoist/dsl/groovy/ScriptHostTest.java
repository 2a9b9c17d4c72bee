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
import java.util.List;

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

    @Test
    void methodsClassesAndImportsDefinedOnOneLineStayDefined() {
        ScriptHost host = host();
        host.evaluateLine("def f() { 41 }");
        assertEquals(42, host.evaluateLine("f() + 1"));
        host.evaluateLine("class Point { int x }");
        assertEquals(3, host.evaluateLine("new Point(x: 3).x"));
        host.evaluateLine("import java.util.concurrent.atomic.AtomicInteger");
        assertEquals(5, host.evaluateLine("new AtomicInteger(5).get()"));
        host.evaluateLine("def f() { 1 }");
        assertEquals(2, host.evaluateLine("f() + 1"), "a method defined again replaces the earlier one");
        assertTrue(host.definedMethods().contains("f"));
    }

    @Test
    void aCommandLineExpandsGroovyVariablesOutsideSingleQuotes() {
        assertEquals(List.of("push", "app", "oci:/tmp/v:7", "${tag}", "$"),
                ShellLine.split("push app \"oci:/tmp/v:${tag}\" '${tag}' \\$").stream()
                        .map(w -> w.gstring() == null ? w.text() : "oci:/tmp/v:7").toList());
        ScriptHost host = host();
        host.evaluateLine("tag = 'v7'");
        HoistException e = assertThrows(HoistException.class,
                () -> host.evaluateLine("inspect \"oci:" + temp + "/none:${tag}\""));
        assertTrue(e.getMessage().contains("none:v7"), e.getMessage());
    }
}
