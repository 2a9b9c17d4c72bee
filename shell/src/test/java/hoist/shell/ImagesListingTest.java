package hoist.shell;

import com.fasterxml.jackson.databind.JsonNode;
import hoist.engine.image.Json;
import hoist.engine.testing.Skopeo;
import hoist.engine.testing.TestImages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code images} as podman prints it: --format, --digests, --noheading, -a, and ages in words. */
class ImagesListingTest {

    @TempDir
    Path temp;

    private Cli.Run hoist(String... args) {
        Cli.Run run = new Cli(temp.resolve("store")).run(args);
        assertEquals(0, run.status(), run::toString);
        return run;
    }

    @Test
    void imagesPrintsWhatPodmansOptionsAskFor() throws IOException {
        String id = hoist("pull", "-q", TestImages.multiLayer()).out().strip();
        hoist("tag", id, "app:1");
        String digest = Skopeo.manifestDigest(TestImages.multiLayer()).toString();
        String created = Skopeo.inspect(TestImages.multiLayer()).path("Created").asText();

        assertEquals(List.of("localhost/multi:latest " + id.substring(0, 12), "localhost/app:1 " + id.substring(0, 12)),
                hoist("images", "--format", "{{.Repository}}:{{.Tag}} {{.ID}}").out().strip().lines().toList());
        assertEquals(List.of(id + " " + digest), hoist("images", "--no-trunc", "--format", "{{.Id}} {{.Digest}}")
                .out().strip().lines().distinct().toList());
        assertEquals(List.of("REPOSITORY       TAG", "localhost/multi  latest", "localhost/app    1"),
                hoist("images", "--format", "table {{.Repository}}\\t{{.Tag}}").out().strip().lines().toList());

        List<String> table = hoist("images", "--digests").out().strip().lines().toList();
        assertTrue(table.get(0).matches("REPOSITORY +TAG +DIGEST +IMAGE ID +CREATED +SIZE"), table::toString);
        assertTrue(table.get(1).contains(digest), table::toString);
        String age = table.get(1).replaceFirst("^.*" + id.substring(0, 12) + " +", "").replaceFirst(" {2,}.*$", "");
        assertTrue(age.matches("(Less than a second|1 second|[0-9]+ seconds|About a minute|[0-9]+ minutes|About an hour"
                + "|[0-9]+ hours|[0-9]+ days) ago"), "created " + created + ": " + age);
        assertEquals(withoutAges(table.subList(1, table.size())),
                withoutAges(hoist("images", "--digests", "--noheading").out().strip().lines().toList()));
        assertEquals(withoutAges(hoist("images").out().lines().toList()), withoutAges(hoist("images", "-a").out().lines().toList()),
                "no intermediate images to add");

        JsonNode json = Json.read(hoist("images", "--format", "json").out().getBytes(StandardCharsets.UTF_8));
        assertEquals(1, json.size());
        assertEquals(id, json.get(0).path("Id").asText());
        assertEquals("[\"localhost/multi:latest\",\"localhost/app:1\"]", json.get(0).path("RepoTags").toString());
        assertEquals(digest, json.get(0).path("Digest").asText());
    }

    /** Lines with the CREATED column's words taken out: an age may move on between two runs. */
    private static List<String> withoutAges(List<String> lines) {
        return lines.stream().map(l -> l.replaceAll("  [A-Za-z0-9 ]+ ago  ", "  AGE  ")).toList();
    }
}
