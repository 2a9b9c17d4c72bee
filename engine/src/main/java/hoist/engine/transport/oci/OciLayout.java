package hoist.engine.transport.oci;

import hoist.engine.HoistException;
import hoist.engine.image.Descriptor;
import hoist.engine.image.Digest;
import hoist.engine.image.InvalidManifestException;
import hoist.engine.image.Manifest;
import hoist.engine.image.ManifestList;
import hoist.engine.image.MediaTypes;

import java.io.IOException;
import java.util.List;

/**
 * The facts of the OCI image layout format: where blobs live, what index.json holds, and how a
 * reference's REF picks an entry of it (the {@code org.opencontainers.image.ref.name} annotation).
 */
public final class OciLayout {

    public static final String LAYOUT_FILE = "oci-layout";
    public static final String INDEX_FILE = "index.json";
    public static final String LAYOUT_VERSION_JSON = "{\"imageLayoutVersion\": \"1.0.0\"}";
    public static final String REF_NAME = "org.opencontainers.image.ref.name";

    private OciLayout() {
    }

    public static String blobPath(Digest digest) {
        return "blobs/" + digest.algorithm() + "/" + digest.hex();
    }

    /** Reads and validates index.json; errors name the layout. */
    public static ManifestList readIndex(LayoutFiles files) throws IOException {
        if (!files.exists(LAYOUT_FILE)) {
            throw new HoistException(files.describe() + " is not an OCI image layout: no " + LAYOUT_FILE + " file");
        }
        if (!files.exists(INDEX_FILE)) {
            throw new HoistException(files.describe() + " is not an OCI image layout: no " + INDEX_FILE + " file");
        }
        byte[] raw = files.readAll(INDEX_FILE);
        try {
            Manifest index = Manifest.parse(raw, MediaTypes.OCI_INDEX);
            if (index instanceof ManifestList list) {
                return list;
            }
            throw new InvalidManifestException("it is an image manifest, not an index");
        } catch (InvalidManifestException e) {
            throw new HoistException(files.describe() + "/" + INDEX_FILE + ": " + e.getMessage(), e);
        }
    }

    /**
     * The entry REF names, or with no REF the only entry. Errors list what the layout holds.
     */
    public static Descriptor find(ManifestList index, String ref, String layout) {
        List<Descriptor> all = index.manifests();
        if (ref == null || ref.isEmpty()) {
            List<Descriptor> entries = all.stream().filter(d -> !isAttachment(d)).toList();
            if (entries.size() == 1) {
                return entries.get(0);
            }
            throw new HoistException(entries.isEmpty() ? layout + " holds no image"
                    : layout + " holds " + entries.size() + " images; name one with " + layout + ":REF (" + names(entries) + ")");
        }
        return all.stream().filter(d -> ref.equals(d.annotations().get(REF_NAME))).findFirst()
                .orElseThrow(() -> new HoistException("no image named \"" + ref + "\" in " + layout
                        + (all.isEmpty() ? "" : " (it has: " + names(all) + ")")));
    }

    /**
     * Whether an entry is a manifest attached to another rather than an image: a referrer (it names
     * an {@code artifactType}) or one of cosign's {@code sha256-HEX.sig}/{@code .att}/{@code .sbom}
     * tags. A layout's only image is found without a REF even when such entries are beside it.
     */
    static boolean isAttachment(Descriptor entry) {
        String name = entry.annotations().get(REF_NAME);
        return entry.artifactType() != null || (name != null && ATTACHMENT_TAG.matcher(name).matches());
    }

    private static final java.util.regex.Pattern ATTACHMENT_TAG = java.util.regex.Pattern.compile(
            "sha256-[0-9a-f]{64}(\\.(sig|att|sbom))?");

    private static String names(List<Descriptor> entries) {
        return String.join(", ", entries.stream()
                .map(d -> d.annotations().getOrDefault(REF_NAME, d.digest().toString())).toList());
    }
}
