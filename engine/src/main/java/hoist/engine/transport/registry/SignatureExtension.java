package hoist.engine.transport.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import hoist.engine.HoistException;
import hoist.engine.image.Digest;
import hoist.engine.image.Json;
import okhttp3.MediaType;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;

import java.io.IOException;
import java.io.InputStream;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The signature API some registries (OpenShift's) offer beside the distribution API, announced by
 * {@code X-Registry-Supports-Signatures: 1} on {@code /v2/}: {@code GET
 * /extensions/v2/NAME/signatures/DIGEST} lists a manifest's simple signatures as
 * {@code {"signatures":[{"schemaVersion":2,"name":"DIGEST@ID","type":"atomic","content":BASE64}]}};
 * {@code PUT} on the same URL adds one such entry (answered {@code 201 Created}). Signatures
 * cannot be removed through it.
 *
 * @see <a href="https://github.com/containers/image/blob/main/docs/signature-protocols.md">containers/image signature access protocols</a>
 */
final class SignatureExtension {

    /** {@code schemaVersion} of the entries read and written. */
    static final int SCHEMA_VERSION = 2;
    /** {@code type} of simple signatures. */
    static final String TYPE_ATOMIC = "atomic";
    /** A signature list larger than this is refused unread. */
    private static final int MAX_LIST_BYTES = 4 * 1024 * 1024;

    private static final SecureRandom RANDOM = new SecureRandom();

    private final RegistryEndpoint endpoint;
    private final RegistryCaller caller;
    private final String scope;

    SignatureExtension(RegistryEndpoint endpoint, RegistryCaller caller, String scope) {
        this.endpoint = endpoint;
        this.caller = caller;
        this.scope = scope;
    }

    /** An entry of the list: its name and its signature's bytes. */
    private record Entry(String name, byte[] content) {
    }

    /**
     * The simple signatures of {@code manifest}, in the registry's order; empty when it has none
     * (a 404 means none too).
     *
     * @throws RegistryException when the registry answers otherwise than 2xx or 404
     */
    List<byte[]> read(Digest manifest) throws IOException {
        return entries(manifest).stream().map(Entry::content).toList();
    }

    private List<Entry> entries(Digest manifest) throws IOException {
        Request request = new Request.Builder().url(endpoint.signaturesUrl(manifest.toString())).build();
        try (Response response = caller.send(request, scope, true)) {
            if (response.code() == 404) {
                return List.of();
            }
            if (!response.isSuccessful()) {
                throw RegistryException.from(response, endpoint.what() + ": reading the signatures of " + manifest);
            }
            JsonNode list;
            try (ResponseBody body = response.body(); InputStream in = body.byteStream()) {
                byte[] bytes = in.readNBytes(MAX_LIST_BYTES + 1);
                if (bytes.length > MAX_LIST_BYTES) {
                    throw new HoistException(endpoint.what() + ": the signature list of " + manifest + " is larger than "
                            + MAX_LIST_BYTES + " bytes");
                }
                list = Json.read(bytes);
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new HoistException(endpoint.what() + ": the registry's signature list of " + manifest + " is not JSON");
            }
            List<Entry> entries = new ArrayList<>();
            for (JsonNode entry : list.path("signatures")) {
                if (entry.path("schemaVersion").asInt() == SCHEMA_VERSION && TYPE_ATOMIC.equals(entry.path("type").asText())
                        && entry.path("content").isTextual()) {
                    try {
                        entries.add(new Entry(entry.path("name").asText(), Base64.getDecoder().decode(entry.get("content").asText())));
                    } catch (IllegalArgumentException e) {
                        // content that is not base64 is no signature
                    }
                }
            }
            return entries;
        }
    }

    /**
     * Adds each of {@code signatures} of {@code manifest} the registry does not have yet, under a
     * new name {@code DIGEST@32-HEX-DIGITS}; those it has are left as they are.
     *
     * @throws RegistryException when the registry refuses one
     */
    void add(Digest manifest, List<byte[]> signatures) throws IOException {
        List<Entry> existing = entries(manifest);
        Set<String> names = new HashSet<>();
        existing.forEach(e -> names.add(e.name()));
        for (byte[] signature : signatures) {
            if (existing.stream().anyMatch(e -> Arrays.equals(e.content(), signature))) {
                continue;
            }
            String name;
            do {
                byte[] id = new byte[16];
                RANDOM.nextBytes(id);
                name = manifest + "@" + HexFormat.of().formatHex(id);
            } while (!names.add(name));
            ObjectNode entry = Json.mapper().createObjectNode();
            entry.put("schemaVersion", SCHEMA_VERSION);
            entry.put("name", name);
            entry.put("type", TYPE_ATOMIC);
            entry.put("content", Base64.getEncoder().encodeToString(signature));
            Request request = new Request.Builder().url(endpoint.signaturesUrl(manifest.toString()))
                    .put(RequestBody.create(Json.write(entry), MediaType.get("application/json"))).build();
            try (Response response = caller.send(request, scope, true)) {
                if (!response.isSuccessful()) {
                    throw RegistryException.from(response, endpoint.what() + ": storing a signature of " + manifest);
                }
            }
        }
    }
}
