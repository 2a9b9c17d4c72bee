package hoist.shell.repl;

import org.jline.console.CmdDesc;
import org.jline.console.CommandRegistry;
import org.jline.reader.impl.completer.NullCompleter;
import org.jline.reader.impl.completer.SystemCompleter;
import org.jline.utils.AttributedString;
import picocli.CommandLine;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The words the shell answers itself, not commands of the command model: {@code exit} and
 * {@code quit} (also {@code exit()} and {@code exit(STATUS)} in Groovy), {@code clear},
 * {@code history} (JLine's), and {@code help} without a command. As a {@link CommandRegistry} they
 * are completed, highlighted and described like the commands.
 */
final class ShellWords implements CommandRegistry {

    static final String EXIT = "exit";
    static final String QUIT = "quit";
    static final String CLEAR = "clear";
    static final String HISTORY = "history";
    static final String HELP = "help";

    private static final Map<String, String> WORDS = new LinkedHashMap<>();

    static {
        WORDS.put(QUIT, "Leave the shell (as exit and Ctrl-D do).");
        WORDS.put(CLEAR, "Clear the screen.");
        WORDS.put(HISTORY, "List the lines typed before; history -c forgets them, history -? shows the options.");
    }

    @Override
    public String name() {
        return "shell";
    }

    @Override
    public Set<String> commandNames() {
        return WORDS.keySet();
    }

    @Override
    public Map<String, String> commandAliases() {
        return Map.of();
    }

    @Override
    public List<String> commandInfo(String command) {
        return List.of(WORDS.getOrDefault(command, ""));
    }

    @Override
    public boolean hasCommand(String command) {
        return WORDS.containsKey(command);
    }

    @Override
    public SystemCompleter compileCompleters() {
        SystemCompleter completers = new SystemCompleter();
        WORDS.keySet().forEach(word -> completers.add(word, NullCompleter.INSTANCE));
        return completers;
    }

    @Override
    public CmdDesc commandDescription(List<String> args) {
        return new CmdDesc(List.of(new AttributedString(WORDS.getOrDefault(args.get(0), ""))), List.of(), Map.of());
    }

    /** What {@code help} alone prints: how the shell reads a line, then the commands. */
    static String help(CommandLine root) {
        StringBuilder out = new StringBuilder("""
                Each line is a hoist command line or Groovy.

                  push app oci:/tmp/app:1 --all          a command line, as after `hoist` on the command line
                  tag = 'v2'                             Groovy: variables, methods (def f() {...}), classes
                                                         and imports stay defined for the lines after
                  push app "oci:/tmp/app:${tag}"         a command line expands Groovy variables, as a shell
                                                         does, except in single quotes
                  def r = push('app', to: 'oci:/tmp/x')  commands are Groovy methods, returning results:
                  r.digest                               Tab after `r.` offers the result's properties

                A line with an open bracket or quote, or that ends in an operator, goes on on the next.
                Tab completes commands, options, transports, image names, paths and a registry's tags.
                Ctrl-C stops the running command and removes what it had started to write.

                  help COMMAND    a command's options          history    the lines typed before
                  clear           clear the screen             exit       leave (also quit, exit(), Ctrl-D)

                Commands:
                """);
        root.getSubcommands().forEach((name, command) -> {
            if (name.equals(command.getCommandName()) && !name.equals(HELP)) {
                String[] description = command.getCommandSpec().usageMessage().description();
                out.append(String.format("  %-16s %s%n", name, description.length > 0 ? description[0].split("%n")[0] : ""));
            }
        });
        return out.toString().stripTrailing();
    }
}
