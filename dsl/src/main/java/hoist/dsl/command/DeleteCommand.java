package hoist.dsl.command;

import hoist.dsl.CommandOutput;
import hoist.engine.transport.ImageReference;
import hoist.engine.transport.Transports;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.io.IOException;
import java.util.concurrent.Callable;

/**
 * {@code delete IMAGE}: deletes an image where it is stored, as skopeo delete does: from a
 * registry ({@code docker://}, the manifest by digest, so every tag of it goes), an OCI layout
 * ({@code oci:}, its entry and the blobs only it used), a {@code dir:} image, or the local store
 * (a bare name or {@code local:}, with all its names). Prints nothing.
 */
@Command(name = "delete", mixinStandardHelpOptions = true,
        description = "Delete an image from a registry (docker://), an OCI layout (oci:), a dir: image or the local store.")
public final class DeleteCommand implements Callable<DeleteCommand.Deleted> {

    /** The image deleted. */
    public record Deleted(String reference) implements CommandOutput {
        @Override
        public String text() {
            return "";
        }
    }

    @ParentCommand
    HoistCommand hoist;

    @Mixin
    RegistryFlags registry;

    @Parameters(index = "0", paramLabel = "IMAGE", description = "TRANSPORT:DETAILS, or a local image.")
    String image;

    @Override
    public Deleted call() throws IOException {
        ImageReference reference = Transports.parse(image, hoist.session().storage());
        reference.deleteImage(registry.apply(hoist.session().context()));
        return new Deleted(reference.text());
    }
}
