package hoist.shell;

import hoist.dsl.runner.CommandRunner;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code hoist SCRIPT ARGS...} is {@code hoist run SCRIPT ARGS...}: the first word after the
 * global options names a script when it ends in {@code .groovy}, or is a file and no command (as
 * when a {@code #!/usr/bin/env hoist} script is executed by its path).
 */
final class ScriptArguments {

    private ScriptArguments() {
    }

    static List<String> asRunCommand(List<String> args, CommandRunner runner) {
        int i = runner.commandIndex(args);
        if (i >= args.size() || !isScript(args.get(i))) {
            return args;
        }
        List<String> words = new ArrayList<>(args.subList(0, i));
        words.add("run");
        words.addAll(args.subList(i, args.size()));
        return words;
    }

    private static boolean isScript(String word) {
        if (CommandRunner.commandNames().contains(word)) {
            return false;
        }
        return word.endsWith(".groovy") || Files.isRegularFile(Path.of(word));
    }
}
