package hoist.dsl.groovy;

import groovy.lang.MissingPropertyException;
import groovy.lang.Script;
import hoist.dsl.runner.CommandRunner;
import hoist.dsl.Suggestions;
import hoist.engine.HoistException;

import java.util.Set;

/**
 * The class every hoist script extends: each command of the command model is a method
 * ({@code push 'app', to: ['docker://a/app', 'docker://b/app'], retry: 5}) returning the
 * command's result object; a command with subcommands is also a property
 * ({@code manifest.create('list')}). A call that names nothing known fails with the commands it
 * was probably meant to be.
 */
public abstract class HoistScript extends Script {

    private transient CommandRunner runner;

    void runWith(CommandRunner commandRunner) {
        this.runner = commandRunner;
    }

    /** Runs the command {@code name}; Groovy routes every call the script does not define here. */
    public Object methodMissing(String name, Object arguments) {
        Object[] args = arguments instanceof Object[] array ? array : new Object[] {arguments};
        // a command of two words is a method in camelCase: listTags is list-tags
        String command = commandNames().contains(name) ? name : CommandWords.kebab(name);
        if (!commandNames().contains(command)) {
            throw new HoistException(Suggestions.appendTo("no command or method \"" + name + "\"", name, commandNames()));
        }
        Object result = runner.run(CommandWords.of(runner.spec(), command, args));
        return result instanceof hoist.dsl.CommandOutput output ? output.scriptValue() : result;
    }

    /** Ends the script now with status 0; in the shell, {@code exit()} leaves the shell. */
    public void exit() {
        exit(0);
    }

    /** Ends the script now with {@code status} as hoist's exit status, printing nothing. */
    public void exit(int status) {
        throw new ScriptExit(status);
    }

    /** A command with subcommands as an object whose methods are the subcommands. */
    public Object propertyMissing(String name) {
        if (commandNames().contains(name) && !runner.spec().subcommands().get(name).getSubcommands().isEmpty()) {
            return new CommandGroup(this, name);
        }
        throw new MissingPropertyException(name, getClass());
    }

    private static Set<String> commandNames() {
        return CommandRunner.commandNames();
    }

    /** {@code manifest.create('list', 'img')} is {@code manifest('create', 'list', 'img')}. */
    public static final class CommandGroup extends groovy.lang.GroovyObjectSupport {
        private final HoistScript script;
        private final String command;

        CommandGroup(HoistScript script, String command) {
            this.script = script;
            this.command = command;
        }

        public Object methodMissing(String sub, Object arguments) {
            Object[] args = arguments instanceof Object[] array ? array : new Object[] {arguments};
            boolean hasNamed = args.length > 0 && args[0] instanceof java.util.Map;
            Object[] withSub = new Object[args.length + 1];
            int at = 0;
            if (hasNamed) {
                withSub[at++] = args[0];
            }
            withSub[at++] = sub;
            System.arraycopy(args, hasNamed ? 1 : 0, withSub, at, args.length - (hasNamed ? 1 : 0));
            return script.methodMissing(command, withSub);
        }
    }
}
