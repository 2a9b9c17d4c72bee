package hoist.shell.repl;

import hoist.dsl.Session;
import hoist.dsl.runner.CommandRunner;
import picocli.CommandLine;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/** The command model as the shell reads it: names and options, from the picocli declarations. */
final class CommandTree {

    /** Words the shell itself answers, not passed to the evaluator. */
    static final Set<String> SHELL_WORDS = Set.of("exit", "quit");

    private final CommandLine root;

    CommandTree(Session session) {
        this.root = new CommandRunner(session).commandLine();
    }

    /** Top-level command names, aliases included, and the shell's own words. */
    Set<String> commandNames() {
        Set<String> names = new TreeSet<>(root.getSubcommands().keySet());
        names.addAll(SHELL_WORDS);
        return names;
    }

    /**
     * The deepest command the first {@code count} words name ({@code manifest create} is two), and how
     * many words that took; the root with zero when the first word names no command.
     */
    Match find(List<String> words, int count) {
        CommandLine command = root;
        int used = 0;
        while (used < count && command.getSubcommands().containsKey(words.get(used))) {
            command = command.getSubcommands().get(words.get(used));
            used++;
        }
        return new Match(command, used);
    }

    record Match(CommandLine command, int wordsUsed) {
        boolean found() {
            return wordsUsed > 0;
        }
    }
}
