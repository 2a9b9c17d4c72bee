package hoist.engine.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import hoist.engine.HoistException;
import hoist.engine.image.Digest;
import hoist.engine.image.Json;
import hoist.engine.io.AtomicFiles;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A manifest attached to a stored manifest, kept in the store's {@code referrers.json}: an OCI 1.1
 * referrer (found by its {@code subject}) or a manifest under one of cosign's
 * {@code sha256-HEX.sig}/{@code .att}/{@code .sbom} tags. Its bytes are a blob like any manifest;
 * it lives as long as its subject does. The file's shape: {@code {"referrers": [{"digest",
 * "mediaType", "subject", "tag"}]}}, {@code tag} only for cosign's.
 *
 * @param digest    the attached manifest's digest
 * @param mediaType its media type
 * @param subject   the digest of the manifest it is attached to
 * @param tag       cosign's tag it is kept under, or null for a referrer
 * @see <a href="https://github.com/opencontainers/distribution-spec/blob/main/spec.md#listing-referrers">OCI distribution spec: listing referrers</a>
 */
public record StoredAttachment(Digest digest, String mediaType, Digest subject, String tag) {

    static final String FILE = "referrers.json";

    /** The attachments recorded in {@code file}; none when there is no such file. @throws HoistException when it does not parse */
    static List<StoredAttachment> read(Path file) throws IOException {
        List<StoredAttachment> all = new ArrayList<>();
        if (!Files.exists(file)) {
            return all;
        }
        try {
            for (JsonNode node : Json.read(Files.readAllBytes(file)).path("referrers")) {
                all.add(new StoredAttachment(Digest.parse(node.path("digest").asText()), node.path("mediaType").asText(),
                        Digest.parse(node.path("subject").asText()), node.path("tag").asText(null)));
            }
            return all;
        } catch (IOException | IllegalArgumentException e) {
            throw new HoistException(file + " is damaged (" + e.getMessage() + "); run hoist check", e);
        }
    }

    /** Replaces {@code file} with {@code attachments}, atomically. */
    static void write(Path file, List<StoredAttachment> attachments) throws IOException {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        ArrayNode array = root.putArray("referrers");
        for (StoredAttachment a : attachments) {
            ObjectNode node = array.addObject();
            node.put("digest", a.digest().toString());
            node.put("mediaType", a.mediaType());
            node.put("subject", a.subject().toString());
            if (a.tag() != null) {
                node.put("tag", a.tag());
            }
        }
        AtomicFiles.write(file, Json.pretty(root).getBytes(StandardCharsets.UTF_8));
    }
}
