package hoist.shell;

import hoist.dsl.Session;
import hoist.dsl.command.HoistCommand;
import hoist.dsl.groovy.ScriptHost;
import hoist.dsl.runner.CommandRunner;
import hoist.engine.HoistException;
import hoist.engine.testing.Command;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The dependencies between hoist's packages, read from the compiled classes by the JDK's
 * {@code jdeps}: they point one way ({@code shell -> dsl -> engine}; inside {@code dsl} the command
 * model <- the runner <- the Groovy binding), and no two packages depend on each other, directly
 * or through others.
 */
class PackageDependenciesTest {

    /** {@code   hoist.dsl.command   -> hoist.dsl   classes}: one package edge per line. */
    private static final Pattern EDGE = Pattern.compile("^\\s+(hoist[\\w.]*)\\s+->\\s+(hoist[\\w.]*)\\s");

    private static Map<String, Set<String>> edges;

    @BeforeAll
    static void readDependencies() {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "jdeps").toString(),
                "-verbose:package", "-e", "hoist\\..*"));
        for (Class<?> module : List.of(HoistException.class, HoistCommand.class, Main.class)) {
            command.add(classesOf(module));
        }
        edges = new TreeMap<>();
        for (String line : Command.run(command, Map.of()).split("\n")) {
            Matcher edge = EDGE.matcher(line);
            if (edge.find() && !edge.group(1).equals(edge.group(2))) {
                edges.computeIfAbsent(edge.group(1), k -> new TreeSet<>()).add(edge.group(2));
            }
        }
        assertTrue(edges.containsKey("hoist.dsl.groovy") && edges.containsKey("hoist.shell")
                && edges.containsKey("hoist.engine.copy"), () -> "jdeps read every module: " + edges);
    }

    private static String classesOf(Class<?> type) {
        try {
            return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (URISyntaxException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void noPackageIsInACycle() {
        assertEquals(List.of(), cycles(), "packages that depend on each other");
    }

    @Test
    void modulesDependOneWayShellDslEngine() {
        assertEquals(List.of(), edgesFrom("hoist.engine", "hoist.dsl", "hoist.shell"));
        assertEquals(List.of(), edgesFrom("hoist.dsl", "hoist.shell"));
    }

    @Test
    void insideTheDslTheModelKnowsNeitherTheRunnerNorTheGroovyBinding() {
        assertEquals(List.of(), edgesFrom("hoist.dsl.command", "hoist.dsl.runner", "hoist.dsl.groovy"));
        assertEquals(List.of(), edgesFrom("hoist.dsl.runner", "hoist.dsl.groovy"));
        assertTrue(edges.get("hoist.dsl.groovy").contains("hoist.dsl.runner"), edges::toString);
        assertTrue(edges.get("hoist.dsl.runner").contains("hoist.dsl.command"), edges::toString);
    }

    @Test
    void theCycleFinderFindsACycle() {
        Map<String, Set<String>> graph = Map.of("a", Set.of("b"), "b", Set.of("c"), "c", Set.of("a", "d"), "d", Set.of());
        assertEquals(List.of(List.of("a", "b", "c")), cycles(graph));
    }

    @Test
    void aScriptStillRunsThroughTheSessionsScripts() {
        java.io.StringWriter out = new java.io.StringWriter();
        Session session = new Session(hoist.engine.transport.TransportContext.defaults(), new java.io.PrintWriter(out, true),
                new java.io.PrintWriter(java.io.Writer.nullWriter()), quiet -> hoist.engine.copy.ProgressListener.NONE);
        new ScriptHost(session);
        new CommandRunner(session).run(List.of("-e", "println 6 * 7"));
        assertEquals("42", out.toString().strip());
    }

    /** Edges from a package under {@code from} to one under any of {@code to}, as "a -> b". */
    private static List<String> edgesFrom(String from, String... to) {
        List<String> found = new ArrayList<>();
        edges.forEach((source, targets) -> {
            if (under(source, from)) {
                for (String target : targets) {
                    for (String forbidden : to) {
                        if (under(target, forbidden)) {
                            found.add(source + " -> " + target);
                        }
                    }
                }
            }
        });
        return found;
    }

    /** {@code hoist.dsl.command} is under {@code hoist.dsl.command} and under {@code hoist.dsl}; {@code hoist.dsl} is under neither sub-package. */
    private static boolean under(String pkg, String prefix) {
        return pkg.equals(prefix) || pkg.startsWith(prefix + ".");
    }

    private static List<List<String>> cycles() {
        return cycles(edges);
    }

    /** The strongly connected components of more than one package (Tarjan), each sorted. */
    static List<List<String>> cycles(Map<String, Set<String>> graph) {
        Map<String, Integer> index = new HashMap<>();
        Map<String, Integer> low = new HashMap<>();
        Deque<String> stack = new ArrayDeque<>();
        Set<String> onStack = new TreeSet<>();
        List<List<String>> components = new ArrayList<>();
        for (String node : new TreeSet<>(graph.keySet())) {
            if (!index.containsKey(node)) {
                connect(node, graph, index, low, stack, onStack, components);
            }
        }
        return components;
    }

    private static void connect(String node, Map<String, Set<String>> graph, Map<String, Integer> index,
                                Map<String, Integer> low, Deque<String> stack, Set<String> onStack,
                                List<List<String>> components) {
        index.put(node, index.size());
        low.put(node, index.get(node));
        stack.push(node);
        onStack.add(node);
        for (String next : graph.getOrDefault(node, Set.of())) {
            if (!index.containsKey(next)) {
                connect(next, graph, index, low, stack, onStack, components);
                low.put(node, Math.min(low.get(node), low.get(next)));
            } else if (onStack.contains(next)) {
                low.put(node, Math.min(low.get(node), index.get(next)));
            }
        }
        if (low.get(node).equals(index.get(node))) {
            List<String> component = new ArrayList<>();
            String member;
            do {
                member = stack.pop();
                onStack.remove(member);
                component.add(member);
            } while (!member.equals(node));
            if (component.size() > 1) {
                components.add(component.stream().sorted().toList());
            }
        }
    }
}
