package hoist.dsl.command;

import com.fasterxml.jackson.databind.JsonNode;
import groovy.lang.Binding;
import groovy.lang.GroovyShell;
import hoist.engine.image.Platform;
import hoist.engine.inspect.ImageContent;
import hoist.engine.inspect.InspectedImage;
import hoist.engine.testing.Skopeo;
import hoist.engine.testing.TestImages;
import hoist.engine.transport.ImageReference;
import hoist.engine.transport.ImageSource;
import hoist.engine.transport.TransportContext;
import hoist.engine.transport.Transports;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** What {@code inspect} returns, navigated from Groovy with the property syntax scripts use. */
class InspectedScriptTest {

    @TempDir
    Path temp;

    private InspectCommand.Inspected inspected(String reference) throws IOException {
        ImageReference ref = Transports.parse(reference, "local");
        TransportContext context = TransportContext.defaults().withStoreRoot(temp.resolve("store"));
        try (ImageSource source = ref.openSource(context)) {
            InspectedImage image = InspectedImage.of(ref.text(), ImageContent.read(source), new Platform("linux", "amd64", null));
            return new InspectCommand.Inspected(image, java.util.List.of(), "the text");
        }
    }

    private static Object run(String script, InspectCommand.Inspected m) {
        Binding binding = new Binding();
        binding.setVariable("m", m);
        return new GroovyShell(binding).evaluate(script);
    }

    @Test
    void aListIsWalkedThroughPropertiesAndInstances() throws IOException {
        String list = TestImages.multiPlatform();
        JsonNode index = Skopeo.manifest(list);
        InspectCommand.Inspected m = inspected(list);

        assertEquals(true, run("m.list", m));
        assertEquals(Skopeo.manifestDigest(list).toString(), run("m.digest", m));
        assertEquals(index.path("mediaType").asText(), run("m.mediaType", m));
        assertEquals(List.of("amd64", "arm64"), run("m.manifests.findAll { it.platform.os == 'linux' }.collect { it.platform.architecture }", m));
        assertEquals(index.path("manifests").get(1).path("digest").asText(), run("m.manifests[1].digest", m));
        assertEquals("arm64", run("m.instance('linux/arm64').config.architecture", m));
        assertEquals("amd64", run("m.config.architecture", m));
        assertEquals(Skopeo.layers(list), run("m.layers.collect { it.digest }", m));
        assertEquals(false, run("m.manifests[0].image.list", m));
        assertEquals("the text", run("m.toString()", m));
    }

    @Test
    void aSingleImagesLayersConfigAndAnnotations() throws IOException {
        String multi = TestImages.multiLayer();
        JsonNode manifest = Skopeo.manifest(multi);
        InspectCommand.Inspected m = inspected(multi);

        List<String> expected = new ArrayList<>();
        manifest.path("layers").forEach(l -> expected.add(l.path("digest").asText() + " " + l.path("size").asLong()));
        assertEquals(expected, run("m.layers.collect { \"${it.digest} ${it.size}\".toString() }", m));
        assertEquals(List.of("gzip", "gzip", "gzip", "gzip"), run("m.layers*.compression", m));
        assertEquals("multi", run("m.config.labels.test", m));
        assertEquals(manifest.path("annotations").path("org.opencontainers.image.base.name").asText(),
                run("m.annotations['org.opencontainers.image.base.name']", m));
        assertEquals(false, run("m.list", m));
        assertEquals(List.of(), run("m.manifests", m));
    }
}
