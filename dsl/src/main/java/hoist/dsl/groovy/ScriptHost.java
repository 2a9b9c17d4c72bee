package hoist.dsl.groovy;

import groovy.lang.Binding;
import groovy.lang.GroovyCodeSource;
import groovy.lang.GroovyShell;
import groovy.lang.Script;
import hoist.dsl.runner.CommandRunner;
import hoist.dsl.Scripts;
import hoist.dsl.Session;
import hoist.dsl.Suggestions;
import hoist.engine.HoistException;
import org.codehaus.groovy.control.CompilerConfiguration;
import org.codehaus.groovy.control.customizers.ImportCustomizer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Compiles and runs hoist's Groovy: script files ({@code hoist deploy.groovy ARGS}), code given on
 * the command line ({@code hoist -e CODE}), and the shell's lines, whose variables live on from one
 * line to the next. Scripts need no boilerplate: they extend {@link HoistScript} and the types a
 * script works with are imported. A failure becomes one {@link HoistException} naming the script
 * and line.
 */
public final class ScriptHost implements Scripts {

    /** The name the shell's lines are compiled under. */
    private static final String SHELL = "shell";
    /** The name code given with -e is compiled under. */
    private static final String COMMAND_LINE = "command_line";
    /** {@code def x = ...} typed in the shell: kept as a shell variable, as a user expects. */
    private static final Pattern LOCAL_DECLARATION = Pattern.compile("^\\s*(?:def|var)\\s+([A-Za-z_]\\w*)\\s*=");

    private final CommandRunner runner;
    private final GroovyShell groovy;
    private final Binding shellVariables;
    private final Definitions definitions = new Definitions();

    public ScriptHost(Session session) {
        this.runner = new CommandRunner(session);
        this.groovy = new GroovyShell(ScriptHost.class.getClassLoader(), configuration());
        this.shellVariables = binding(List.of());
        session.scripts(() -> this); // run and -e inside this host's scripts and lines come back here
    }

    private static CompilerConfiguration configuration() {
        CompilerConfiguration configuration = new CompilerConfiguration();
        configuration.setScriptBaseClass(HoistScript.class.getName());
        ImportCustomizer imports = new ImportCustomizer();
        imports.addImports("hoist.engine.HoistException", "hoist.dsl.CopyFailedException", "hoist.engine.image.Digest", "hoist.engine.image.Platform",
                "java.nio.file.Files", "java.nio.file.Path", "java.nio.file.Paths", "java.time.Duration");
        configuration.addCompilationCustomizers(imports);
        return configuration;
    }

    /** The names of the commands a script can call. */
    public Set<String> commandNames() {
        return CommandRunner.commandNames();
    }

    public CommandRunner runner() {
        return runner;
    }

    /** Runs a script file with {@code args}; returns the script's value. */
    @Override
    public Object runFile(Path file, List<String> args) {
        String code;
        try {
            code = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new HoistException(HoistException.describe(e), e);
        }
        String name = file.getFileName().toString();
        return run(new GroovyCodeSource(code, name, "/groovy/script"), binding(args), name);
    }

    /** Runs code given on the command line ({@code hoist -e CODE}). */
    @Override
    public Object runCode(String code, List<String> args) {
        return run(new GroovyCodeSource(code, COMMAND_LINE, "/groovy/shell"), binding(args), COMMAND_LINE);
    }

    /**
     * A line typed in the shell: a command line ({@code push app oci:/tmp/x --all}) runs as on the
     * command line, with the shell's Groovy variables expanded in its words outside single quotes
     * ({@code push app "oci:/tmp/v:${tag}"}); anything else is Groovy, with the shell's variables,
     * and the methods, classes and imports earlier lines defined.
     */
    public Object evaluateLine(String line) {
        if (isCommandLine(line)) {
            return runner.run(expand(ShellLine.split(line)));
        }
        String code = LOCAL_DECLARATION.matcher(line).replaceFirst("$1 =");
        Map<String, String> defined = definitions.of(code);
        try {
            Object value = run(new GroovyCodeSource(definitions.before(code, defined.keySet()), SHELL, "/groovy/shell"),
                    shellVariables, SHELL);
            definitions.keep(defined);
            return value;
        } catch (ScriptFailure failure) {
            mistypedCommand(line);
            // the line is the one just typed: its message alone says what went wrong
            throw new HoistException(failure.reason(), failure);
        }
    }

    /** Whether the shell runs {@code line} as a command line (true) or as Groovy (false). */
    public boolean isCommandLine(String line) {
        return ShellLine.isCommandLine(line, commandNames());
    }

    /**
     * The shell's variables now, by name (a copy): what {@code x = 1} or {@code def x = 1} set,
     * and {@code out}, {@code err}, {@code args}.
     */
    public Map<String, Object> variables() {
        synchronized (shellVariables) {
            return Map.copyOf(nonNull(shellVariables.getVariables()));
        }
    }

    /** The names of the methods earlier shell lines defined ({@code def f() {41}} gives {@code f}). */
    public Set<String> definedMethods() {
        return definitions.methodNames();
    }

    private static Map<String, Object> nonNull(Map<?, ?> variables) {
        Map<String, Object> out = new java.util.HashMap<>();
        variables.forEach((k, v) -> {
            if (v != null) {
                out.put(String.valueOf(k), v);
            }
        });
        return out;
    }

    /** The words of a command line, those that ask for it expanded as Groovy strings with the shell's variables. */
    private List<String> expand(List<ShellLine.Word> words) {
        List<String> out = new java.util.ArrayList<>();
        for (ShellLine.Word word : words) {
            if (word.gstring() == null) {
                out.add(word.text());
                continue;
            }
            try {
                Object value = run(new GroovyCodeSource(definitions.before("\"" + word.gstring() + "\"", Set.of()),
                        SHELL, "/groovy/shell"), shellVariables, SHELL);
                out.add(String.valueOf(value));
            } catch (ScriptFailure failure) {
                throw HoistException.usage("cannot expand " + word.text() + ": " + failure.reason());
            }
        }
        return out;
    }

    /**
     * {@code psh app oci:/x} fails as Groovy (a syntax error, or {@code app} unknown) before
     * {@code psh} is looked up: when a failed line starts with a word close to a command's name,
     * the mistyped command is what the user is told.
     */
    private void mistypedCommand(String line) {
        String first = line.strip().split("\\s+", 2)[0];
        if (first.matches("[a-z]+") && !commandNames().contains(first)
                && !Suggestions.closest(first, commandNames()).isEmpty()) {
            throw HoistException.usage(Suggestions.appendTo("unknown command \"" + first + "\"", first, commandNames()));
        }
    }

    private Binding binding(List<String> args) {
        Binding binding = new Binding();
        binding.setVariable("args", args.toArray(String[]::new));
        binding.setVariable("out", runner.session().out());
        binding.setVariable("err", runner.session().err());
        return binding;
    }

    private Object run(GroovyCodeSource source, Binding binding, String name) {
        Script script;
        try {
            source.setCachable(false);
            script = groovy.parse(source);
        } catch (RuntimeException e) {
            throw ScriptFailure.of(e, name);
        }
        script.setBinding(binding);
        ((HoistScript) script).runWith(runner);
        try {
            return script.run();
        } catch (ScriptExit e) {
            throw e;
        } catch (RuntimeException | StackOverflowError e) {
            throw ScriptFailure.of(e, name);
        } finally {
            runner.session().out().flush();
            runner.session().err().flush();
        }
    }
}
