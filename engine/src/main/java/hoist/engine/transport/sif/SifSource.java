package hoist.engine.transport.sif;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import hoist.engine.HoistException;
import hoist.engine.image.Descriptor;
import hoist.engine.image.Digest;
import hoist.engine.image.Json;
import hoist.engine.image.MediaTypes;
import hoist.engine.io.AtomicFiles;
import hoist.engine.transport.ImageReference;
import hoist.engine.transport.ImageSource;
import hoist.engine.transport.RawManifest;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;

/**
 * A SIF file read as a one-layer image, as containers/image's sif transport makes it: the primary
 * system partition's squashfs becomes an uncompressed tar layer (made once, when the source is
 * opened, into a file under the temporary directory, because the manifest must name its digest),
 * the definition file's {@code %environment} and {@code %runscript} the script the image runs
 * ({@link DefinitionFile}), and the header the config's architecture, OS ({@code linux}) and
 * times. The history has containers/image's two entries: the layer's {@code ADD} with the SIF's
 * UUID in its comment, and an empty {@code CMD}.
 *
 * @see <a href="https://github.com/containers/image/blob/main/sif/src.go">containers/image sif/src.go</a>
 */
final class SifSource implements ImageSource {

    private final ImageReference reference;
    private final Path workDir;
    private final Path layerFile;
    private final Descriptor layer;
    private final byte[] config;
    private final Descriptor configDescriptor;
    private final byte[] manifest;

    private SifSource(ImageReference reference, Path workDir, Path layerFile, Descriptor layer, byte[] config, byte[] manifest) {
        this.reference = reference;
        this.workDir = workDir;
        this.layerFile = layerFile;
        this.layer = layer;
        this.config = config;
        this.configDescriptor = new Descriptor(MediaTypes.OCI_CONFIG, Digest.sha256(config), config.length);
        this.manifest = manifest;
    }

    /**
     * Reads {@code file}'s header and descriptors, turns its root file system into a layer under a
     * new directory in {@code tempDir}, and builds the config and manifest.
     *
     * @throws HoistException when the file is not a SIF file, has no squashfs primary partition, or
     *                        unsquashfs cannot read it
     */
    static SifSource open(ImageReference reference, Path file, Path tempDir) throws IOException {
        String what = reference.text();
        if (!Files.isRegularFile(file)) {
            throw new HoistException(what + ": " + file + " is not a file");
        }
        SifFile sif = SifFile.read(file, what);
        SifFile.DataObject root = sif.primaryPartition(what);
        java.util.Optional<SifFile.DataObject> deffile = sif.definitionFile();
        DefinitionFile definition = deffile.isPresent()
                ? DefinitionFile.parse(SifFile.readSmall(file, deffile.get(), 16 << 20, what))
                : DefinitionFile.NONE;
        Files.createDirectories(tempDir);
        Path workDir = AtomicFiles.createTempDirectory(tempDir, "hoist-sif-");
        boolean done = false;
        try {
            Path layerFile = workDir.resolve("rootfs.tar");
            MessageDigest sha256 = Digest.messageDigest("sha256");
            long size;
            try (OutputStream out = new DigestOutputStream(new java.io.BufferedOutputStream(Files.newOutputStream(layerFile), 1 << 16), sha256)) {
                SquashfsTar.write(file, root.offset(), definition, sif.modified(), out, workDir, what);
            }
            size = Files.size(layerFile);
            Digest layerDigest = new Digest("sha256", HexFormat.of().formatHex(sha256.digest()));
            Descriptor layer = new Descriptor(MediaTypes.OCI_LAYER, layerDigest, size);
            byte[] config = config(sif, definition, layerDigest);
            byte[] manifest = manifest(config, layer);
            done = true;
            return new SifSource(reference, workDir, layerFile, layer, config, manifest);
        } finally {
            if (!done) {
                AtomicFiles.deleteTree(workDir);
            }
        }
    }

    private static byte[] config(SifFile sif, DefinitionFile definition, Digest layer) {
        JsonNodeFactory json = JsonNodeFactory.instance;
        String created = Instant.ofEpochSecond(sif.modified()).toString();
        ObjectNode config = json.objectNode();
        config.put("created", created);
        config.put("architecture", sif.arch());
        config.put("os", "linux");
        ObjectNode runtime = config.putObject("config");
        List<String> env = definition.literalEnvironment();
        if (!env.isEmpty()) {
            ArrayNode envNode = runtime.putArray("Env");
            env.forEach(envNode::add);
        }
        ArrayNode cmd = runtime.putArray("Cmd");
        definition.command().forEach(cmd::add);
        ObjectNode rootfs = config.putObject("rootfs");
        rootfs.put("type", "layers");
        rootfs.putArray("diff_ids").add(layer.toString());
        ArrayNode history = config.putArray("history");
        ObjectNode add = history.addObject();
        add.put("created", created);
        add.put("created_by", "/bin/sh -c #(nop) ADD file:" + layer.hex() + " in /");
        add.put("comment", "imported from SIF, uuid: " + sif.id());
        ObjectNode cmdEntry = history.addObject();
        cmdEntry.put("created", created);
        cmdEntry.put("created_by", "/bin/sh -c #(nop) CMD [\"bash\"]");
        cmdEntry.put("empty_layer", true);
        return Json.write(config);
    }

    private static byte[] manifest(byte[] config, Descriptor layer) {
        JsonNodeFactory json = JsonNodeFactory.instance;
        ObjectNode manifest = json.objectNode();
        manifest.put("schemaVersion", 2);
        manifest.put("mediaType", MediaTypes.OCI_MANIFEST);
        ObjectNode configNode = manifest.putObject("config");
        configNode.put("mediaType", MediaTypes.OCI_CONFIG);
        configNode.put("digest", Digest.sha256(config).toString());
        configNode.put("size", config.length);
        ObjectNode layerNode = manifest.putArray("layers").addObject();
        layerNode.put("mediaType", layer.mediaType());
        layerNode.put("digest", layer.digest().toString());
        layerNode.put("size", layer.size());
        return Json.write(manifest);
    }

    @Override
    public ImageReference reference() {
        return reference;
    }

    @Override
    public RawManifest manifest(Digest instance) {
        if (instance != null && !instance.equals(Digest.sha256(manifest))) {
            throw new HoistException(reference.text() + ": a SIF file holds one image, not manifest " + instance);
        }
        return new RawManifest(manifest, MediaTypes.OCI_MANIFEST);
    }

    @Override
    public InputStream blob(Descriptor blob) throws IOException {
        if (blob.digest().equals(configDescriptor.digest())) {
            return new ByteArrayInputStream(config);
        }
        if (blob.digest().equals(layer.digest())) {
            return Files.newInputStream(layerFile);
        }
        throw new HoistException(reference.text() + ": no blob " + blob.digest() + " in this SIF image");
    }

    /** Removes the layer made from the SIF file. */
    @Override
    public void close() throws IOException {
        AtomicFiles.deleteTree(workDir);
    }
}
