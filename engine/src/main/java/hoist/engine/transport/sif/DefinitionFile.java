package hoist.engine.transport.sif;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The parts of a Singularity definition file that become an image's command, read as
 * containers/image reads them: the non-blank, non-comment lines of {@code %environment} and every
 * line of {@code %runscript} (each trimmed; another {@code %section} ends them). When either has
 * lines, they are joined into a script that the layer carries as {@value #SCRIPT_PATH} and the
 * image runs; otherwise the image runs {@code bash}.
 *
 * @param environment the {@code %environment} lines
 * @param runscript   the {@code %runscript} lines
 * @see <a href="https://github.com/containers/image/blob/main/sif/load.go">containers/image sif/load.go</a>
 * @see <a href="https://docs.sylabs.io/guides/latest/user-guide/definition_files.html">definition files</a>
 */
record DefinitionFile(List<String> environment, List<String> runscript) {

    /** Where the injected script goes in the layer, and so the image's command. */
    static final String SCRIPT_PATH = "/podman/runscript";

    /** {@code [export] NAME=VALUE} with a value a shell would take literally (quoted or plain, no expansion). */
    private static final Pattern LITERAL_ASSIGNMENT = Pattern.compile(
            "(?:export\\s+)?([A-Za-z_][A-Za-z0-9_]*)=(?:'([^']*)'|\"([^\"$`\\\\]*)\"|([^\\s'\"$`\\\\;&|<>()]*))");

    static final DefinitionFile NONE = new DefinitionFile(List.of(), List.of());

    /** Parses a definition file's text (UTF-8). */
    static DefinitionFile parse(byte[] text) {
        List<String> environment = new ArrayList<>();
        List<String> runscript = new ArrayList<>();
        String section = "";
        for (String raw : new String(text, StandardCharsets.UTF_8).split("\r?\n", -1)) {
            String line = raw.strip();
            if (line.equals("%environment") || line.equals("%runscript")) {
                section = line;
            } else if (line.startsWith("%")) {
                section = "";
            } else if (section.equals("%environment")) {
                if (!line.isEmpty() && !line.startsWith("#")) {
                    environment.add(line);
                }
            } else if (section.equals("%runscript")) {
                runscript.add(line);
            }
        }
        return new DefinitionFile(List.copyOf(environment), List.copyOf(runscript));
    }

    /** Whether the image gets the injected script (else it runs {@code bash}). */
    boolean hasScript() {
        return !environment.isEmpty() || !runscript.isEmpty();
    }

    /** The config's {@code Cmd}: the script, or {@code bash} as containers/image sets it. */
    List<String> command() {
        return List.of(hasScript() ? SCRIPT_PATH : "bash");
    }

    /** The injected script: a bash shebang, the environment lines, the run script lines. */
    byte[] script() {
        return ("#!/bin/bash\n" + String.join("\n", environment) + "\n" + String.join("\n", runscript) + "\n")
                .getBytes(StandardCharsets.UTF_8);
    }

    /**
     * The config's {@code Env}: the {@code %environment} lines that are a whole literal assignment
     * ({@code export A=1}, {@code B='x y'}), as {@code NAME=VALUE}, so that tools reading the
     * config see them; lines that need a shell (expansions, commands) stay in the script only.
     * containers/image leaves {@code Env} empty; the script sets the same variables either way.
     */
    List<String> literalEnvironment() {
        List<String> env = new ArrayList<>();
        for (String line : environment) {
            Matcher m = LITERAL_ASSIGNMENT.matcher(line);
            if (m.matches()) {
                String value = m.group(2) != null ? m.group(2) : m.group(3) != null ? m.group(3) : m.group(4);
                env.add(m.group(1) + "=" + value);
            }
        }
        return List.copyOf(env);
    }
}
