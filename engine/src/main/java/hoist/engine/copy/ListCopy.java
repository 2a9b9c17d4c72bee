package hoist.engine.copy;

import hoist.engine.HoistException;
import hoist.engine.image.Descriptor;
import hoist.engine.image.ImageManifest;
import hoist.engine.image.ManifestFormat;
import hoist.engine.image.ManifestList;
import hoist.engine.image.MediaTypes;
import hoist.engine.transport.ImageSource;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Copies a whole list ({@code --all}): every instance, children first, then the list itself. */
final class ListCopy {

    private final ImageSource source;
    private final ImageCopy images;
    private final ProgressListener listener;
    private final CopyOptions options;

    ListCopy(ImageSource source, ImageCopy images, ProgressListener listener, CopyOptions options) {
        this.source = source;
        this.images = images;
        this.listener = listener;
        this.options = options;
    }

    Map<Target, Descriptor> copy(ManifestList list, List<Target> targets, List<byte[]> signatures) throws IOException {
        for (Target target : targets) {
            if (!target.destination().acceptsLists()) {
                target.fail(new HoistException(target.name() + " cannot store a manifest list; copy one image "
                        + "(without --all) instead"));
            }
        }
        Map<Target, List<Descriptor>> children = new LinkedHashMap<>();
        targets.stream().filter(Target::alive).forEach(t -> children.put(t, new ArrayList<>()));
        int index = 0;
        for (Descriptor entry : list.manifests()) {
            listener.on(new CopyEvent.CopyingInstance(++index, list.manifests().size(), entry.digest()));
            ImageManifest child = source.instanceImage(entry.digest());
            Map<Target, Descriptor> written = images.copy(child, entry.digest(), targets, true, List.of());
            for (Map.Entry<Target, List<Descriptor>> e : children.entrySet()) {
                Descriptor d = written.get(e.getKey());
                if (d != null) {
                    e.getValue().add(entry.withMediaType(d.mediaType()).withDigestAndSize(d.digest(), d.size()));
                }
            }
        }
        Map<Target, Descriptor> result = new LinkedHashMap<>();
        for (Map.Entry<Target, List<Descriptor>> e : children.entrySet()) {
            Target target = e.getKey();
            if (target.alive()) {
                writeList(list, target, e.getValue(), signatures).ifPresent(d -> result.put(target, d));
            }
        }
        return result;
    }

    private java.util.Optional<Descriptor> writeList(ManifestList list, Target target, List<Descriptor> entries,
                                                     List<byte[]> signatures) {
        ManifestList out;
        try {
            ManifestFormat format = listFormat(list, target, entries);
            out = format == list.format() && entries.equals(list.manifests()) ? list : list.withManifests(format, entries);
        } catch (RuntimeException e) {
            target.fail(e);
            return java.util.Optional.empty();
        }
        return ManifestWrite.write(target, out, false, out != list, signatures, listener);
    }

    /** The list's own format where possible; an OCI index when a child became OCI (a Docker list cannot hold one). */
    private ManifestFormat listFormat(ManifestList list, Target target, List<Descriptor> entries) {
        boolean ociChild = entries.stream().anyMatch(d -> MediaTypes.isOci(d.mediaType()));
        ManifestFormat wanted = options.format() != null ? options.format() : list.format();
        if (wanted == ManifestFormat.V2S2 && ociChild) {
            if (options.format() == ManifestFormat.V2S2) {
                throw new HoistException("a Docker manifest list cannot hold the OCI manifests some instances need; "
                        + "use --format oci");
            }
            wanted = ManifestFormat.OCI;
        }
        List<String> accepted = target.destination().supportedManifestTypes();
        if (!accepted.contains(wanted.listMediaType())) {
            throw new HoistException(target.name() + " does not accept " + wanted.listMediaType() + " manifest lists");
        }
        return wanted;
    }
}
