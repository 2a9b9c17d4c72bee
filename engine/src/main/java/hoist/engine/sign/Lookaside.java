package hoist.engine.sign;

import hoist.engine.HoistException;
import hoist.engine.image.Digest;
import hoist.engine.io.AtomicFiles;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A lookaside signature store: signatures of a registry image kept apart from the registry, at
 * {@code BASE@ALGORITHM=HEX/signature-N} (N from 1, read until the first missing one), where BASE
 * is the URL {@link RegistriesD#lookasideBase} gives. Read over {@code file://}, {@code http://}
 * and {@code https://}; written only to {@code file://}, as containers/image does.
 *
 * @see <a href="https://github.com/containers/image/blob/main/docs/signature-protocols.md">containers/image signature access protocols</a>
 */
public final class Lookaside {

    private static final int MAX_SIGNATURES = 128;
    private static final int MAX_SIGNATURE_BYTES = 4 * 1024 * 1024;

    private Lookaside() {
    }

    /** The URL of the {@code n}-th (from 1) signature of {@code manifest} under {@code base}. */
    static String url(String base, Digest manifest, int n) {
        return base + "@" + manifest.algorithm() + "=" + manifest.hex() + "/signature-" + n;
    }

    /**
     * Every signature of {@code manifest} under {@code base}, in order.
     *
     * @throws HoistException when the store cannot be read (other than a missing signature, which ends the list)
     */
    public static List<byte[]> read(String base, Digest manifest) throws IOException {
        List<byte[]> signatures = new ArrayList<>();
        for (int n = 1; n <= MAX_SIGNATURES; n++) {
            byte[] signature = readOne(URI.create(url(base, manifest, n)));
            if (signature == null) {
                break;
            }
            signatures.add(signature);
        }
        return signatures;
    }

    private static byte[] readOne(URI uri) throws IOException {
        switch (uri.getScheme() == null ? "" : uri.getScheme()) {
            case "file" -> {
                Path file = Path.of(uri);
                if (!Files.isRegularFile(file)) {
                    return null;
                }
                if (Files.size(file) > MAX_SIGNATURE_BYTES) {
                    throw new HoistException(file + ": a signature larger than " + MAX_SIGNATURE_BYTES + " bytes");
                }
                return Files.readAllBytes(file);
            }
            case "http", "https" -> {
                HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(30))
                        .followRedirects(HttpClient.Redirect.NORMAL).build();
                try {
                    HttpResponse<byte[]> response = client.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(60)).GET().build(),
                            HttpResponse.BodyHandlers.ofByteArray());
                    if (response.statusCode() == 404) {
                        return null;
                    }
                    if (response.statusCode() != 200) {
                        throw new HoistException("reading signature " + uri + ": HTTP status " + response.statusCode());
                    }
                    return response.body();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new java.io.InterruptedIOException("reading signature " + uri + " was interrupted");
                }
            }
            default -> throw new HoistException("signature store " + uri + ": only file://, http:// and https:// can be read");
        }
    }

    /**
     * Writes {@code signatures} as the signatures of {@code manifest} under {@code base} (a
     * {@code file://} URL), each file atomically, and removes any further ones left from before.
     *
     * @throws HoistException when {@code base} is not a {@code file://} URL
     */
    public static void write(String base, Digest manifest, List<byte[]> signatures) throws IOException {
        URI first = URI.create(url(base, manifest, 1));
        if (!"file".equals(first.getScheme())) {
            throw new HoistException("signature store " + base + ": signatures can only be written to a file:// lookaside; "
                    + "set lookaside-staging in registries.d");
        }
        Path dir = Path.of(first).getParent();
        Files.createDirectories(dir);
        for (int n = 1; n <= signatures.size(); n++) {
            AtomicFiles.write(dir.resolve("signature-" + n), signatures.get(n - 1));
        }
        for (int n = signatures.size() + 1; Files.deleteIfExists(dir.resolve("signature-" + n)); n++) {
            // older signatures beyond the new ones would otherwise be read as part of the list
        }
    }
}
