package hoist.shell;

import hoist.engine.testing.Command;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs hoist's command line in a JVM of its own, for what only a process can be given: its own
 * environment ({@code KUBECONFIG}, {@code HOME}, {@code REGISTRY_AUTH_FILE}).
 */
final class HoistProcess {

    private final Path root;
    private final Map<String, String> env;

    HoistProcess(Path root, Map<String, String> env) {
        this.root = root;
        this.env = Map.copyOf(env);
    }

    Cli.Run run(String... args) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName(), "--root", root.toString()));
        command.addAll(List.of(args));
        Command.Result result = Command.exec(command, env);
        return new Cli.Run(result.status(), result.out(), result.err());
    }
}
