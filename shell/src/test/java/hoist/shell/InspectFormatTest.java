package hoist.shell;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import hoist.engine.image.Json;
import hoist.engine.testing.Command;
import hoist.engine.testing.Registry;
import hoist.engine.testing.StartedRegistry;
import hoist.engine.testing.Skopeo;
import hoist.engine.testing.TestImages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@code inspect --format} and {@code --no-tags} print what skopeo prints for the same image, and
 * a local image's RepoTags are all its names.
 */
class InspectFormatTest {

    @StartedRegistry
    private static Registry registry;

    @TempDir
    Path temp;

    private Cli.Run hoist(String... args) {
        Cli.Run run = new Cli(temp.resolve("store")).run(args);
        assertEquals(0, run.status(), run::toString);
        return run;
    }

    private static String skopeo(String... args) {
        List<String> command = new ArrayList<>(List.of("skopeo", "inspect"));
        command.addAll(List.of(args));
        return Command.run(command, Map.of());
    }

    private static JsonNode json(String text) throws IOException {
        return Json.read(text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void templatesPrintWhatSkopeoPrints() throws IOException {
        String layout = "oci:" + temp.resolve("layout") + ":app";
        Skopeo.copy(TestImages.multiLayer(), layout);
        for (String template : List.of("{{.Digest}} {{.Architecture}} {{.Os}}", "{{range .Layers}}{{.}}\n{{end}}",
                "{{.Labels}} {{.Env}} {{.RepoTags}}", "{{.Name}}|{{.Created}}",
                "{{range .Env -}} {{.}} {{- end}}", "{{if .Labels}}labelled{{else}}bare{{end}}")) {
            assertEquals(skopeo("--format", template, layout), hoist("inspect", "--format", template, layout).out(), template);
        }
        // {{json .}} is the summary itself; skopeo's here predates LayersData
        ObjectNode ours = (ObjectNode) json(hoist("inspect", "-f", "{{json .}}", layout).out());
        assertEquals(json(hoist("inspect", layout).out()), ours);
        ours.remove("LayersData");
        assertEquals(json(skopeo("--format", "{{json .}}", layout)), ours);
    }

    @Test
    void noTagsLeavesRepoTagsEmptyAndALocalImageListsAllItsNames() throws IOException {
        String remote = registry.ref("format/app:1");
        Skopeo.copy("--dest-tls-verify=false", TestImages.multiLayer(), remote);
        Skopeo.copy("--dest-tls-verify=false", TestImages.multiLayer(), registry.ref("format/app:2"));
        String template = "{{.Name}} {{.RepoTags}}";
        assertEquals(skopeo("--tls-verify=false", "--format", template, remote),
                hoist("inspect", "--tls-verify=false", "--format", template, remote).out());
        assertEquals(skopeo("--tls-verify=false", "--no-tags", "--format", template, remote),
                hoist("inspect", "--tls-verify=false", "--no-tags", "--format", template, remote).out());
        assertEquals("[]", json(hoist("inspect", "--tls-verify=false", "-n", remote).out()).path("RepoTags").toString());

        String id = hoist("pull", "-q", "--tls-verify=false", remote).out().strip();
        hoist("tag", id, "app:3");
        assertEquals(List.of(registry.host() + "/format/app:1", "localhost/app:3"),
                Json.mapper().convertValue(json(hoist("inspect", "app:3").out()).path("RepoTags"), List.class));
    }
}
