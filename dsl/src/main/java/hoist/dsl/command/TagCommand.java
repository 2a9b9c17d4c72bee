package hoist.dsl.command;

import hoist.engine.HoistException;
import hoist.engine.store.StoredImage;
import hoist.engine.transport.DockerReference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code tag IMAGE NEW...}: more names for a local image. */
@Command(name = "tag", mixinStandardHelpOptions = true, description = "Add names to a local image.")
public final class TagCommand implements Callable<StoredImage> {

    @ParentCommand
    HoistCommand hoist;

    @Parameters(index = "0", paramLabel = "IMAGE", description = "Name, ID or ID prefix.")
    String image;

    @Parameters(index = "1..*", arity = "1..*", paramLabel = "NAME", description = "New names (unqualified: localhost/).")
    List<String> names;

    @Override
    public StoredImage call() throws IOException {
        List<String> full = names.stream().map(TagCommand::normalize).toList();
        return LocalImages.of(hoist.session()).tag(image, full);
    }

    /** As podman tags: a name without a registry goes to localhost; no tag means latest. */
    public static String normalize(String name) {
        DockerReference ref = DockerReference.isQualified(name) ? DockerReference.parse(name)
                : DockerReference.parse("localhost/" + name);
        if (ref.digest() != null) {
            throw HoistException.usage("\"" + name + "\": a tag cannot contain a digest");
        }
        return ref.withDefaultTag().toString();
    }
}
