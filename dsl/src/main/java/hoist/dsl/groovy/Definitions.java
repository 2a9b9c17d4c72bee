package hoist.dsl.groovy;

import org.codehaus.groovy.ast.ASTNode;
import org.codehaus.groovy.ast.ClassNode;
import org.codehaus.groovy.ast.ImportNode;
import org.codehaus.groovy.ast.MethodNode;
import org.codehaus.groovy.ast.ModuleNode;
import org.codehaus.groovy.control.CompilationUnit;
import org.codehaus.groovy.control.CompilerConfiguration;
import org.codehaus.groovy.control.Phases;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The methods, classes and imports the shell's lines have defined, kept as their source text and
 * put before each later line, so that {@code def f() { 41 }} on one line makes {@code f() + 1}
 * work on the next, as a variable does. A later definition of the same method (name and number
 * of parameters), class or import replaces the earlier one.
 */
final class Definitions {

    private static final String METHOD = "method:";

    /** Key -> source text, in the order first defined. */
    private final Map<String, String> kept = new LinkedHashMap<>();

    /**
     * The definitions in {@code code}, by key; none when it does not parse (compiling the line
     * reports that).
     */
    Map<String, String> of(String code) {
        CompilationUnit unit = new CompilationUnit(new CompilerConfiguration());
        unit.addSource("shell_line", code);
        try {
            unit.compile(Phases.CONVERSION);
        } catch (RuntimeException e) { // CompilationFailedException among them
            return Map.of();
        }
        List<String> lines = code.lines().toList();
        Map<String, String> found = new LinkedHashMap<>();
        for (ModuleNode module : unit.getAST().getModules()) {
            List<ImportNode> imports = new ArrayList<>(module.getImports());
            imports.addAll(module.getStarImports());
            imports.addAll(module.getStaticImports().values());
            imports.addAll(module.getStaticStarImports().values());
            for (ImportNode node : imports) {
                found.put("import:" + node.getText(), node.getText());
            }
            for (MethodNode method : module.getMethods()) {
                text(method, lines).ifPresent(t -> found.put(METHOD + method.getName() + "/" + method.getParameters().length, t));
            }
            for (ClassNode type : module.getClasses()) {
                if (!type.isScript() && type.getOuterClass() == null) {
                    text(type, lines).ifPresent(t -> found.put("class:" + type.getName(), t));
                }
            }
        }
        return found;
    }

    /** {@code code} after the kept definitions, but those {@code code} defines again. */
    synchronized String before(String code, Collection<String> redefined) {
        StringBuilder out = new StringBuilder();
        kept.forEach((key, text) -> {
            if (!redefined.contains(key)) {
                out.append(text).append('\n');
            }
        });
        return out.append(code).toString();
    }

    /** Keeps {@code defined} (from a line that ran) for the lines after. */
    synchronized void keep(Map<String, String> defined) {
        kept.putAll(defined);
    }

    synchronized Set<String> methodNames() {
        Set<String> names = new TreeSet<>();
        for (String key : kept.keySet()) {
            if (key.startsWith(METHOD)) {
                names.add(key.substring(METHOD.length(), key.lastIndexOf('/')));
            }
        }
        return names;
    }

    /** The source text a node spans (lines and columns are 1-based, the last column exclusive). */
    private static java.util.Optional<String> text(ASTNode node, List<String> lines) {
        int first = node.getLineNumber();
        int last = node.getLastLineNumber();
        if (first < 1 || last < first || last > lines.size()) {
            return java.util.Optional.empty();
        }
        StringBuilder out = new StringBuilder();
        for (int n = first; n <= last; n++) {
            String line = lines.get(n - 1);
            int from = n == first ? Math.max(0, node.getColumnNumber() - 1) : 0;
            int to = n == last ? Math.min(line.length(), node.getLastColumnNumber() - 1) : line.length();
            out.append(line, Math.min(from, to), to);
            if (n < last) {
                out.append('\n');
            }
        }
        return java.util.Optional.of(out.toString());
    }
}
