package hoist.engine.testing;

import com.fasterxml.jackson.databind.JsonNode;
import hoist.engine.image.Digest;
import hoist.engine.image.Json;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** skopeo as an independent reader and writer of every format. */
public final class Skopeo {

    private Skopeo() {
    }

    public static void copy(String... args) {
        List<String> command = new ArrayList<>(List.of("skopeo", "--insecure-policy", "copy", "-q"));
        command.addAll(List.of(args));
        Command.run(command, java.util.Map.of());
    }

    /** The manifest bytes as skopeo reads them. */
    public static String rawManifest(String reference) {
        return Command.run("skopeo", "inspect", "--raw", reference);
    }

    public static Digest manifestDigest(String reference) {
        return Digest.sha256(rawManifest(reference).getBytes(StandardCharsets.UTF_8));
    }

    public static JsonNode inspect(String reference) {
        return json(Command.run("skopeo", "inspect", reference));
    }

    public static JsonNode manifest(String reference) {
        return json(rawManifest(reference));
    }

    public static JsonNode config(String reference) {
        return json(Command.run("skopeo", "inspect", "--config", "--raw", reference));
    }

    /** Layer digests as skopeo sees them. */
    public static List<String> layers(String reference) {
        List<String> digests = new ArrayList<>();
        inspect(reference).path("Layers").forEach(l -> digests.add(l.asText()));
        return digests;
    }

    private static JsonNode json(String text) {
        try {
            return Json.read(text.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
