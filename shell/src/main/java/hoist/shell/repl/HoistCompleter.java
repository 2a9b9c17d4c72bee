package hoist.shell.repl;

import org.jline.reader.Candidate;
import org.jline.reader.Completer;
import org.jline.reader.LineReader;
import org.jline.reader.ParsedLine;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

import java.nio.file.Path;
import java.util.List;

/**
 * Completion for a shell line: command names first, then (after a command) its options and their
 * values from the command model, and image references everywhere else.
 */
final class HoistCompleter implements Completer {

    private final CommandTree commands;
    private final ReferenceCompletion references;

    HoistCompleter(CommandTree commands, ReferenceCompletion references) {
        this.commands = commands;
        this.references = references;
    }

    @Override
    public void complete(LineReader reader, ParsedLine line, List<Candidate> candidates) {
        int index = line.wordIndex();
        String word = line.word().substring(0, Math.min(line.wordCursor(), line.word().length()));
        if (index == 0) {
            commands.commandNames().forEach(name -> candidates.add(new Candidate(name)));
            return;
        }
        List<String> words = line.words();
        if (words.get(0).equals("help")) {
            commands.commandNames().forEach(name -> candidates.add(new Candidate(name)));
            return;
        }
        CommandTree.Match match = commands.find(words, index);
        if (!match.found()) {
            references.complete(word, candidates); // a Groovy line: references are still the likely strings
            return;
        }
        CommandLine command = match.command();
        if (match.wordsUsed() == index && !command.getSubcommands().isEmpty()) {
            command.getSubcommands().keySet().forEach(name -> candidates.add(new Candidate(name)));
            return;
        }
        OptionSpec previous = command.getCommandSpec().findOption(words.get(index - 1));
        if (previous != null && previous.arity().min() > 0) {
            optionValues(previous, word, candidates);
        } else if (word.startsWith("-")) {
            options(command, candidates);
        } else {
            references.complete(word, candidates);
        }
    }

    private static void options(CommandLine command, List<Candidate> candidates) {
        for (OptionSpec option : command.getCommandSpec().options()) {
            if (option.hidden()) {
                continue;
            }
            String description = option.description().length > 0 ? option.description()[0] : null;
            for (String name : option.names()) {
                candidates.add(new Candidate(name, name, null, description, null, null, true));
            }
        }
    }

    private void optionValues(OptionSpec option, String word, List<Candidate> candidates) {
        if (option.completionCandidates() != null) {
            option.completionCandidates().forEach(value -> candidates.add(new Candidate(value)));
        } else if (Path.class.equals(option.type()) || java.io.File.class.equals(option.type())) {
            references.paths("", word, candidates);
        }
    }
}
