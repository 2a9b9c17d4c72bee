package hoist.engine.transport.storage;

import hoist.engine.testing.Buildah;
import hoist.engine.testing.Command;
import hoist.engine.archive.tarsplit.TarSplitWriter;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a rootless overlay store holds that a rootful one does not, as far as a root machine can
 * make it: opaque directories marked {@code user.overlay.opaque}, and files whose true owner and
 * mode are in {@code user.containers.override_stat} (containers/storage's {@code force_mask}),
 * read back as the layer they came from; and layers written for a rootless store mark opaque
 * directories the rootless way. A store.conf with {@code mount_program} is read.
 */
class RootlessOverlayTest {

    @TempDir
    Path temp;

    @Test
    void aLayerWithRootlessMarksAndOverriddenOwnersIsRebuiltAsItWas() throws Exception {
        Buildah buildah = new Buildah(temp.resolve("store"), "overlay");
        buildah.buildRichImage("localhost/rich");
        List<String> diffIds = buildah.diffIds("localhost/rich");
        hoist.engine.testing.Whiteouts.pinTimes(buildah, "localhost/rich", temp);
        Path overlay = buildah.root().resolve("overlay");
        try (Stream<Path> layers = Files.list(overlay)) {
            for (Path layer : layers.filter(p -> Files.isDirectory(p.resolve("diff"))).toList()) {
                rootless(layer.resolve("diff"));
            }
        }
        try (Stream<Path> splits = Files.list(buildah.root().resolve("overlay-layers"))) {
            for (Path split : splits.filter(p -> p.toString().endsWith(".tar-split.gz")).toList()) {
                Files.delete(split);
            }
        }
        ContainersStorage storage = ContainersStorage.open(
                new StoreOptions("overlay", buildah.root(), buildah.runRoot(), List.of("overlay.mount_program=/usr/bin/fuse-overlayfs")), "test");
        ContainersStorage.Snapshot snapshot = storage.read();
        ImageRecord image = snapshot.images().stream().filter(i -> i.names().contains("localhost/rich:latest")).findFirst().orElseThrow();
        List<LayerRecord> chain = snapshot.chain(image, "test");
        for (int i = 0; i < chain.size(); i++) {
            try (InputStream tar = LayerStream.open(storage, chain.get(i), chain.subList(0, i), "test")) {
                assertEquals(diffIds.get(i), sha256(tar), "layer " + i);
            }
        }
    }

    /** As rootless podman with force_mask leaves a diff directory: owned by the user, true owner and mode in an xattr. */
    private static void rootless(Path diff) throws IOException {
        java.util.Set<Object> seen = new java.util.HashSet<>();
        try (Stream<Path> walk = Files.walk(diff)) {
            for (Path p : walk.filter(p -> !p.equals(diff)).toList()) {
                Map<String, Object> st = Files.readAttributes(p, "unix:mode,uid,gid,fileKey", LinkOption.NOFOLLOW_LINKS);
                if (!seen.add(st.get("fileKey"))) {
                    continue; // a further name of a file already done
                }
                int mode = (Integer) st.get("mode");
                int type = mode & 0170000;
                if (type == 0120000 || type == 0020000) {
                    continue; // symlinks take no user xattrs; whiteout devices stay
                }
                if (Command.exec(List.of("getfattr", "--only-values", "-n", "trusted.overlay.opaque", p.toString()), Map.of()).status() == 0) {
                    Command.run("setfattr", "-x", "trusted.overlay.opaque", p.toString());
                    Command.run("setfattr", "-n", "user.overlay.opaque", "-v", "y", p.toString());
                }
                if (type == 0100000 || type == 0040000) {
                    Command.run("setfattr", "-n", DirectoryTar.OVERRIDE_STAT, "-v",
                            st.get("uid") + ":" + st.get("gid") + ":0" + Integer.toOctalString(mode & 07777), p.toString());
                    Command.run("chown", "-h", "1000:1000", p.toString());
                    Command.run("chmod", type == 0040000 ? "0700" : "0600", p.toString());
                }
            }
        }
    }

    @Test
    void layersWrittenForARootlessStoreMarkOpaqueDirectoriesWithUserXattrs() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes)) {
            tar.putArchiveEntry(new TarArchiveEntry("opq/"));
            tar.closeArchiveEntry();
            tar.putArchiveEntry(new TarArchiveEntry("opq/.wh..wh..opq"));
            tar.closeArchiveEntry();
        }
        for (boolean rootless : List.of(true, false)) {
            Path root = Files.createDirectories(temp.resolve("applied-" + rootless));
            try (TarSplitWriter out = new TarSplitWriter(new ByteArrayOutputStream())) {
                new LayerApplier(root, true, rootless).apply(new ByteArrayInputStream(bytes.toByteArray()), out);
            }
            String mark = rootless ? "user.overlay.opaque" : "trusted.overlay.opaque";
            assertEquals("y", Command.run("getfattr", "--only-values", "-n", mark, root.resolve("opq").toString()));
            assertTrue(Command.exec(List.of("getfattr", "--only-values", "-n", rootless ? "trusted.overlay.opaque" : "user.overlay.opaque",
                    root.resolve("opq").toString()), Map.of()).status() != 0, "only the " + mark + " mark");
        }
    }

    private static String sha256(InputStream in) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        byte[] buffer = new byte[65536];
        for (int n; (n = in.read(buffer)) > 0; ) {
            md.update(buffer, 0, n);
        }
        return "sha256:" + HexFormat.of().formatHex(md.digest());
    }
}
