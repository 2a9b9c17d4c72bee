package hoist.shell.repl;

import groovy.lang.MetaMethod;
import groovy.lang.MetaProperty;
import hoist.dsl.groovy.ScriptHost;
import org.codehaus.groovy.runtime.InvokerHelper;
import org.jline.reader.Candidate;
import org.jline.reader.Completer;
import org.jline.reader.LineReader;
import org.jline.reader.ParsedLine;

import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Completion inside Groovy: after {@code r.} the properties and methods of the value the shell's
 * variable {@code r} holds (and so on along {@code r.destinations.}); a plain word offers the
 * shell's variables, the methods its lines defined, and the commands (each is a method); a string
 * being typed offers image references. Only variables and their properties are read, never a
 * call made, so completing cannot change anything.
 */
final class GroovyCompletion implements Completer {

    private static final Set<String> HIDDEN = Set.of("class", "metaClass", "getClass", "getMetaClass", "setMetaClass",
            "invokeMethod", "getProperty", "setProperty", "wait", "notify", "notifyAll", "hashCode", "equals");

    private final ScriptHost host;
    private final ReferenceCompletion references;

    GroovyCompletion(ScriptHost host, ReferenceCompletion references) {
        this.host = host;
        this.references = references;
    }

    @Override
    public void complete(LineReader reader, ParsedLine line, List<Candidate> candidates) {
        String word = line.word().substring(0, Math.min(line.wordCursor(), line.word().length()));
        if (word.startsWith("'") || word.startsWith("\"")) {
            String quote = word.substring(0, 1);
            List<Candidate> inside = new java.util.ArrayList<>();
            references.complete(word.substring(1), line.words(), inside);
            inside.forEach(c -> candidates.add(new Candidate(quote + c.value(), c.displ(), c.group(), null, null, null, false)));
            return;
        }
        int dot = word.lastIndexOf('.');
        if (dot > 0) {
            members(word.substring(0, dot), candidates);
            return;
        }
        host.variables().keySet().forEach(name -> candidates.add(new Candidate(name, name, "variables", null, null, null, true)));
        host.definedMethods().forEach(name -> candidates.add(new Candidate(name + "(", name + "()", "methods", null, null, null, false)));
        host.commandNames().forEach(name -> candidates.add(new Candidate(name, name, "commands", null, null, null, true)));
    }

    /** Candidates {@code target.member} for what {@code target} (a variable, then properties) holds. */
    private void members(String target, List<Candidate> candidates) {
        String[] path = target.split("\\.");
        Map<String, Object> variables = host.variables();
        if (!variables.containsKey(path[0])) {
            return;
        }
        Object value = variables.get(path[0]);
        try {
            for (int i = 1; i < path.length && value != null; i++) {
                value = InvokerHelper.getProperty(value, path[i]);
            }
        } catch (RuntimeException e) {
            return; // no such property: nothing to offer
        }
        if (value == null) {
            return;
        }
        Set<String> properties = new TreeSet<>();
        Set<String> methods = new TreeSet<>();
        if (value instanceof Map<?, ?> map) {
            map.keySet().forEach(k -> properties.add(String.valueOf(k)));
        }
        if (value.getClass().isRecord()) {
            for (RecordComponent component : value.getClass().getRecordComponents()) {
                properties.add(component.getName());
            }
        }
        for (MetaProperty property : InvokerHelper.getMetaClass(value).getProperties()) {
            if (Modifier.isPublic(property.getModifiers()) && !Modifier.isStatic(property.getModifiers())) {
                properties.add(property.getName());
            }
        }
        List<MetaMethod> all = new java.util.ArrayList<>(InvokerHelper.getMetaClass(value).getMethods());
        all.addAll(InvokerHelper.getMetaClass(value).getMetaMethods());
        for (MetaMethod method : all) {
            if (method.isStatic() || !method.isPublic() || method.getName().contains("$")) {
                continue;
            }
            String property = method.getParameterTypes().length == 0 ? propertyOf(method.getName()) : null;
            if (property != null) {
                properties.add(property);
            } else {
                methods.add(method.getName());
            }
        }
        properties.removeAll(HIDDEN);
        methods.removeAll(HIDDEN);
        for (String property : properties) {
            candidates.add(new Candidate(target + "." + property, property, "properties", null, null, null, true));
        }
        for (String method : methods) {
            candidates.add(new Candidate(target + "." + method + "(", method + "()", "methods", null, null, null, false));
        }
    }

    /** {@code getDigest} -> {@code digest}, {@code isEmpty} -> {@code empty}; null for other names. */
    private static String propertyOf(String method) {
        for (String prefix : List.of("get", "is")) {
            if (method.length() > prefix.length() && method.startsWith(prefix)
                    && Character.isUpperCase(method.charAt(prefix.length()))) {
                String rest = method.substring(prefix.length());
                return Character.toLowerCase(rest.charAt(0)) + rest.substring(1);
            }
        }
        return null;
    }
}
