package hoist.engine.testing;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * An overlay layer's whiteouts are 0/0 character devices that containers/storage creates when it
 * applies the layer, with that moment as their modification time, while the layer's tarball
 * carries the time of the deletion. A tarball rebuilt from the files (no tar-split) matches only
 * when both fell in the same second; tests that rebuild such layers first give the devices the
 * times the tarballs record, read from what buildah pushes.
 */
public final class Whiteouts {

    private Whiteouts() {
    }

    /** Sets the time of every whiteout device in {@code buildah}'s overlay layers to the one {@code image}'s tarballs give. */
    public static void pinTimes(Buildah buildah, String image, Path scratch) {
        try {
            Path pushed = scratch.resolve("whiteout-times");
            buildah.run("push", "-q", "-D", image, "dir:" + pushed);
            Map<String, Long> times = new HashMap<>();
            try (Stream<Path> files = Files.list(pushed)) {
                for (Path file : files.filter(p -> p.getFileName().toString().matches("[0-9a-f]{64}")).toList()) {
                    try (InputStream in = Files.newInputStream(file); TarArchiveInputStream tar = new TarArchiveInputStream(in)) {
                        for (TarArchiveEntry e; (e = tar.getNextTarEntry()) != null; ) {
                            Path name = Path.of(e.getName());
                            String base = name.getFileName().toString();
                            if (base.startsWith(".wh.") && !base.equals(".wh..wh..opq")) {
                                Path deleted = name.resolveSibling(base.substring(4));
                                times.put(deleted.toString(), e.getModTime().getTime() / 1000);
                            }
                        }
                    } catch (IOException e) {
                        // not a tarball (the config)
                    }
                }
            }
            try (Stream<Path> layers = Files.list(buildah.root().resolve("overlay"))) {
                for (Path diff : layers.map(l -> l.resolve("diff")).filter(Files::isDirectory).toList()) {
                    for (Map.Entry<String, Long> t : times.entrySet()) {
                        Path device = diff.resolve(t.getKey());
                        if (Files.exists(device, LinkOption.NOFOLLOW_LINKS)
                                && ((Integer) Files.getAttribute(device, "unix:mode", LinkOption.NOFOLLOW_LINKS) & 0170000) == 0020000) {
                            Command.run("touch", "-h", "-d", "@" + t.getValue(), device.toString());
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
