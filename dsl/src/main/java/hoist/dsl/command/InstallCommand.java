package hoist.dsl.command;

import hoist.dsl.CommandOutput;
import hoist.engine.HoistException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.Callable;

/**
 * {@code install [--prefix DIR]}: links the launcher this hoist was started by into
 * {@code DIR/bin} (default {@code ~/.local/bin}), so that {@code hoist} runs from anywhere and a
 * script starting {@code #!/usr/bin/env hoist} finds it. A link, not a copy: the launcher finds
 * its checkout through the link, and a later build is used at once.
 */
@Command(name = "install", mixinStandardHelpOptions = true,
        description = "Link the hoist launcher into ~/.local/bin (or DIR/bin), for PATH and #!/usr/bin/env hoist scripts.")
public final class InstallCommand implements Callable<InstallCommand.Installed> {

    /** The system property the launcher sets to its own path. */
    public static final String LAUNCHER_PROPERTY = "hoist.launcher";

    /**
     * The link made: {@code link} the new (or already right) symbolic link, {@code launcher} what
     * it points at, {@code onPath} whether the link's directory is on {@code PATH}.
     */
    public record Installed(Path link, Path launcher, boolean onPath) implements CommandOutput {
        @Override
        public String text() {
            String linked = "Linked " + link + " -> " + launcher;
            return onPath ? linked : linked + "\n" + link.getParent() + " is not on PATH; add it, e.g. in ~/.profile:\n"
                    + "  export PATH=\"" + link.getParent() + ":$PATH\"";
        }
    }

    @Option(names = "--prefix", paramLabel = "DIR", description = "Install into DIR/bin (default: ~/.local).")
    Path prefix;

    @Override
    public Installed call() throws IOException {
        String launcherPath = System.getProperty(LAUNCHER_PROPERTY);
        if (launcherPath == null || launcherPath.isEmpty()) {
            throw new HoistException("install links the launcher: run it as ./hoist install from the checkout");
        }
        Path launcher = Path.of(launcherPath).toRealPath();
        Path bin = (prefix != null ? prefix : Path.of(System.getProperty("user.home"), ".local")).resolve("bin")
                .toAbsolutePath().normalize();
        Path link = bin.resolve("hoist");
        Files.createDirectories(bin);
        if (Files.isSymbolicLink(link)) {
            if (!link.toRealPath().equals(launcher)) {
                Files.delete(link); // a link to another checkout's launcher: this one replaces it
                Files.createSymbolicLink(link, launcher);
            }
        } else if (Files.exists(link)) {
            throw new HoistException(link + " exists and is not a link to a hoist launcher; remove it or choose --prefix");
        } else {
            Files.createSymbolicLink(link, launcher);
        }
        return new Installed(link, launcher, onPath(bin));
    }

    private static boolean onPath(Path bin) {
        String path = System.getenv("PATH");
        return path != null && Arrays.stream(path.split(File.pathSeparator))
                .filter(entry -> !entry.isEmpty())
                .anyMatch(entry -> Path.of(entry).toAbsolutePath().normalize().equals(bin));
    }
}
