package hoist.shell.repl;

import org.jline.builtins.Completers;
import org.jline.console.ArgDesc;
import org.jline.console.CmdDesc;
import org.jline.console.CommandRegistry;
import org.jline.reader.Candidate;
import org.jline.reader.Completer;
import org.jline.reader.LineReader;
import org.jline.reader.ParsedLine;
import org.jline.reader.impl.completer.SystemCompleter;
import org.jline.utils.AttributedString;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The command model as a JLine {@link CommandRegistry}, read from the same picocli declarations
 * the command line parses with: the commands' names and aliases, a completer per command (its
 * subcommands, its options with their descriptions, an option's values, file names for options
 * that take a path, image references for its arguments) and the descriptions
 * {@link org.jline.widget.TailTipWidgets} shows while a line is typed. The shell runs lines
 * itself (a command line or Groovy), so {@link #invoke} is not used.
 */
final class HoistCommands implements CommandRegistry {

    private final CommandLine root;
    private final ReferenceCompletion references;
    private final Map<String, CmdDesc> descriptions = new java.util.concurrent.ConcurrentHashMap<>();

    /** {@code root}: the whole command tree; {@code references} completes the image arguments. */
    HoistCommands(CommandLine root, ReferenceCompletion references) {
        this.root = root;
        this.references = references;
    }

    @Override
    public String name() {
        return "hoist";
    }

    @Override
    public Set<String> commandNames() {
        Set<String> names = new LinkedHashSet<>();
        root.getSubcommands().values().forEach(c -> names.add(c.getCommandName()));
        return names;
    }

    @Override
    public Map<String, String> commandAliases() {
        Map<String, String> aliases = new HashMap<>();
        root.getSubcommands().forEach((name, command) -> {
            if (!name.equals(command.getCommandName())) {
                aliases.put(name, command.getCommandName());
            }
        });
        return aliases;
    }

    @Override
    public List<String> commandInfo(String command) {
        CommandLine c = root.getSubcommands().get(command);
        return c == null ? List.of() : List.of(c.getCommandSpec().usageMessage().description());
    }

    @Override
    public boolean hasCommand(String command) {
        return root.getSubcommands().containsKey(command);
    }

    @Override
    public SystemCompleter compileCompleters() {
        SystemCompleter completers = new SystemCompleter();
        root.getSubcommands().forEach((name, command) -> completers.add(name, new Arguments(command)));
        return completers;
    }

    @Override
    public CmdDesc commandDescription(List<String> args) {
        CommandLine command = root;
        for (String word : args) {
            CommandLine sub = command.getSubcommands().get(word);
            if (sub == null) {
                if (command != root) {
                    break;
                }
                return new CmdDesc(false);
            }
            command = sub;
        }
        // asked at every key typed: each command's description is made once
        return descriptions.computeIfAbsent(command.getCommandSpec().qualifiedName(" "), k -> description(spec(k)));
    }

    private CommandSpec spec(String qualifiedName) {
        CommandLine command = root;
        for (String word : qualifiedName.split(" ")) {
            command = word.equals(root.getCommandName()) ? command : command.getSubcommands().get(word);
        }
        return command.getCommandSpec();
    }

    /** The synopsis and description, the arguments, and each option's description. */
    private static CmdDesc description(CommandSpec spec) {
        List<AttributedString> main = new ArrayList<>();
        StringBuilder synopsis = new StringBuilder(spec.qualifiedName(" ").replaceFirst("^hoist ", ""));
        if (!spec.options().isEmpty()) {
            synopsis.append(" [OPTIONS]");
        }
        if (!spec.subcommands().isEmpty()) {
            synopsis.append(" COMMAND");
        }
        List<ArgDesc> arguments = new ArrayList<>();
        for (PositionalParamSpec positional : spec.positionalParameters()) {
            String label = positional.arity().min() == 0 ? "[" + positional.paramLabel() + "]" : positional.paramLabel();
            synopsis.append(' ').append(label);
            arguments.add(new ArgDesc(label, lines(positional.description())));
        }
        main.add(new AttributedString(synopsis.toString()));
        main.addAll(lines(spec.usageMessage().description()));
        Map<String, List<AttributedString>> options = new TreeMap<>();
        for (OptionSpec option : spec.options()) {
            if (!option.hidden()) {
                String names = String.join(" ", option.names());
                options.put(option.arity().max() > 0 && !option.type().equals(Boolean.class) ? names + "=" : names,
                        lines(option.description()));
            }
        }
        return new CmdDesc(main, arguments, options);
    }

    private static List<AttributedString> lines(String[] text) {
        return java.util.Arrays.stream(text).map(AttributedString::new).toList();
    }

    /** What follows one command's name: subcommands, options, option values, arguments. */
    private final class Arguments implements Completer {

        private final CommandLine command;

        Arguments(CommandLine command) {
            this.command = command;
        }

        @Override
        public void complete(LineReader reader, ParsedLine line, List<Candidate> candidates) {
            int index = line.wordIndex();
            if (index == 0) {
                return; // the command's own name is the system completer's
            }
            List<String> words = line.words();
            String word = line.word().substring(0, Math.min(line.wordCursor(), line.word().length()));
            if (command.getCommandName().equals("help")) {
                commandNames().forEach(name -> candidates.add(new Candidate(name)));
                return;
            }
            CommandLine current = command;
            int used = 1;
            while (used < index && current.getSubcommands().containsKey(words.get(used))) {
                current = current.getSubcommands().get(words.get(used));
                used++;
            }
            if (used == index && !current.getSubcommands().isEmpty()) {
                current.getSubcommands().keySet().forEach(name -> candidates.add(new Candidate(name)));
                return;
            }
            OptionSpec previous = current.getCommandSpec().findOption(words.get(index - 1));
            if (previous != null && previous.arity().min() > 0 && !words.get(index - 1).contains("=")) {
                optionValues(previous, reader, line, candidates);
            } else if (word.startsWith("-")) {
                options(current, candidates);
            } else {
                references.complete(word, words, candidates);
            }
        }

        private void options(CommandLine current, List<Candidate> candidates) {
            for (OptionSpec option : current.getCommandSpec().options()) {
                if (option.hidden()) {
                    continue;
                }
                String description = option.description().length > 0 ? option.description()[0] : null;
                for (String name : option.names()) {
                    candidates.add(new Candidate(name, name, null, description, null, null, true));
                }
            }
        }

        private void optionValues(OptionSpec option, LineReader reader, ParsedLine line, List<Candidate> candidates) {
            if (option.completionCandidates() != null) {
                option.completionCandidates().forEach(value -> candidates.add(new Candidate(value)));
            } else if (Path.class.equals(option.type()) || File.class.equals(option.type())) {
                new Completers.FileNameCompleter().complete(reader, line, candidates);
            }
        }
    }
}
