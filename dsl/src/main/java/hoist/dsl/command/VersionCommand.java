package hoist.dsl.command;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import hoist.dsl.CommandOutput;
import hoist.dsl.format.GoTemplate;
import hoist.engine.compress.DeflateEngine;
import hoist.engine.image.Json;
import hoist.engine.image.Platform;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.concurrent.Callable;

/**
 * {@code version [--format json|TEMPLATE]}: hoist's version, the Java it runs on and the deflate gzip uses, laid out as
 * podman version lays out its client: {@code Label: value} lines, or JSON under {@code Client}.
 */
@Command(name = "version", mixinStandardHelpOptions = true,
        description = "Show the versions of hoist, Java and the native libraries in use.")
public final class VersionCommand implements Callable<VersionCommand.Versions> {

    /**
     * The versions: {@code version} hoist's, {@code javaVersion} the runtime's
     * ({@code java.runtime.version}), {@code javaVm} its VM and vendor, {@code osArch} the
     * platform as images name it ({@code linux/amd64}), {@code deflate} what compresses and
     * decompresses gzip ({@code ISA-L 2.30 (native)}); {@code text} what is printed.
     */
    public record Versions(String version, String javaVersion, String javaVm, String osArch, String deflate, String text)
            implements CommandOutput {
    }

    @Option(names = {"-f", "--format"}, paramLabel = "json|TEMPLATE",
            description = "json, or a Go template over {{.Client}}: {{.Client.Version}}, {{.Client.JavaVersion}}.")
    String format;

    @Override
    public Versions call() {
        String version = Version.number();
        String java = System.getProperty("java.runtime.version", System.getProperty("java.version"));
        String vm = System.getProperty("java.vm.name") + " (" + System.getProperty("java.vm.vendor") + ")";
        Platform platform = Platform.current();
        String osArch = platform.os() + "/" + platform.architecture();
        String deflate = DeflateEngine.current().description();
        String text;
        if (format == null) {
            text = String.join("\n",
                    line("Version:", version), line("Java Version:", java), line("Java VM:", vm), line("OS/Arch:", osArch),
                    line("Deflate:", deflate));
        } else {
            text = Formatted.text(format, version, java, vm, platform.os(), osArch, deflate);
        }
        return new Versions(version, java, vm, osArch, deflate, text);
    }

    /** --format's output; a class of its own so that the plain command line loads no JSON library. */
    private static final class Formatted {

        static String text(String format, String version, String java, String vm, String os, String osArch,
                           String deflate) {
            ObjectNode client = JsonNodeFactory.instance.objectNode();
            client.put("Version", version);
            client.put("JavaVersion", java);
            client.put("JavaVM", vm);
            client.put("OsArch", osArch);
            client.put("Os", os);
            client.put("Deflate", deflate);
            ObjectNode all = JsonNodeFactory.instance.objectNode();
            all.set("Client", client);
            if (format.equals("json") || format.strip().matches("\\{\\{\\s*json\\s+\\.\\s*}}")) {
                return Json.pretty(all);
            }
            return GoTemplate.parse(format).render(all);
        }
    }

    /** A label padded as podman pads it: values start in the 15th column. */
    private static String line(String label, String value) {
        return String.format("%-14s%s", label, value);
    }
}
