package hoist.dsl.command;

import hoist.dsl.CommandOutput;
import hoist.engine.HoistException;
import hoist.engine.image.Digest;
import hoist.engine.image.ManifestDigest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code manifest-digest FILE}: the digest of a manifest file, as skopeo manifest-digest prints it. */
@Command(name = "manifest-digest", mixinStandardHelpOptions = true,
        description = "Print the digest of a manifest file (of a signed schema 1 manifest: of its payload).")
public final class ManifestDigestCommand implements Callable<ManifestDigestCommand.Computed> {

    /** The digest computed. */
    public record Computed(Digest digest) implements CommandOutput {
        @Override
        public String text() {
            return digest.toString();
        }
    }

    @Parameters(index = "0", paramLabel = "FILE", description = "A manifest (or list) file.")
    Path file;

    @Override
    public Computed call() throws IOException {
        try {
            return new Computed(ManifestDigest.of(Files.readAllBytes(file)));
        } catch (NoSuchFileException e) {
            throw new HoistException(file + ": no such file");
        }
    }
}
