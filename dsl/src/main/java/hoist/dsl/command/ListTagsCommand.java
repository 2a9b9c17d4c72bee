package hoist.dsl.command;

import hoist.dsl.CommandOutput;
import hoist.engine.HoistException;
import hoist.engine.image.Json;
import hoist.engine.transport.DockerReference;
import hoist.engine.transport.ImageReference;
import hoist.engine.transport.ImageSource;
import hoist.engine.transport.TransportContext;
import hoist.engine.transport.Transports;
import hoist.engine.transport.dockerarchive.DockerArchiveReference;
import hoist.engine.transport.dockerarchive.DockerArchiveTransport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code list-tags docker://REPOSITORY} or {@code list-tags docker-archive:FILE}: a repository's
 * tags, or the names of an archive's images, as the JSON skopeo list-tags prints.
 */
@Command(name = "list-tags", mixinStandardHelpOptions = true,
        description = "List a registry repository's tags (docker://HOST/REPO), or the image names in a docker-archive: file.")
public final class ListTagsCommand implements Callable<ListTagsCommand.Tags> {

    /**
     * What was listed: {@code repository} the repository's full name (null for an archive, where
     * skopeo leaves it out) and its {@code tags} (for an archive: image names, {@code @N} for one without).
     */
    public record Tags(String repository, List<String> tags) implements CommandOutput {
        @Override
        public String text() {
            Map<String, Object> out = new LinkedHashMap<>();
            if (repository != null) {
                out.put("Repository", repository);
            }
            out.put("Tags", tags);
            return Json.pretty(out);
        }
    }

    @ParentCommand
    HoistCommand hoist;

    @Mixin
    RegistryFlags registry;

    @Parameters(index = "0", paramLabel = "REPOSITORY", description = "docker://HOST/REPO (no tag), or docker-archive:FILE.")
    String repository;

    @Override
    public Tags call() throws IOException {
        ImageReference reference = Transports.parse(repository);
        TransportContext context = registry.apply(hoist.session().context());
        if (reference instanceof DockerArchiveReference archive) {
            if (archive.name() != null || archive.index() >= 0) {
                throw HoistException.usage("\"" + repository + "\": list-tags lists a whole archive; name no image in it");
            }
            return new Tags(null, DockerArchiveTransport.imageNames(archive.path(), context));
        }
        if (!reference.transport().name().equals("docker")) {
            throw HoistException.usage("\"" + repository + "\": list-tags lists docker:// repositories and docker-archive: files");
        }
        DockerReference typed = DockerReference.parse(repository.substring(repository.indexOf("//") + 2));
        if (typed.tag() != null || typed.digest() != null) {
            throw HoistException.usage("\"" + repository + "\": name a repository, without a tag or digest");
        }
        try (ImageSource source = reference.openSource(context)) {
            return new Tags(typed.name(), source.repositoryTags());
        }
    }
}
