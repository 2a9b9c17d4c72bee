package hoist.dsl.command;

import hoist.dsl.CommandOutput;
import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/**
 * {@code completion bash|zsh}: the script that makes bash or zsh complete hoist's command line,
 * generated from the same command model the command line parses with (picocli's
 * {@link AutoComplete}), so it offers exactly the commands, options and option values there are.
 * The runner builds every command for this one: the script covers them all.
 */
@Command(name = "completion", mixinStandardHelpOptions = true,
        description = "Print the bash or zsh completion script: source <(hoist completion bash) in ~/.bashrc.")
public final class CompletionCommand implements Callable<CompletionCommand.Script> {

    /** The shells a script is made for. */
    public enum Shell { bash, zsh }

    /** The completion script; {@code text} is the script itself, for {@code source} or a completions directory. */
    public record Script(String text) implements CommandOutput {
    }

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "SHELL", description = "bash or zsh.")
    Shell shell;

    @Override
    public Script call() {
        // one script serves both: it loads zsh's bash-completion layer (bashcompinit) when zsh runs it
        String script = AutoComplete.bash("hoist", spec.root().commandLine());
        return new Script(script.stripTrailing());
    }
}
