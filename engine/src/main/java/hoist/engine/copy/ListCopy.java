package hoist.engine.copy;

import hoist.engine.HoistException;
import hoist.engine.image.Descriptor;
import hoist.engine.image.ImageManifest;
import hoist.engine.image.ManifestFormat;
import hoist.engine.image.ManifestList;
import hoist.engine.image.MediaTypes;
import hoist.engine.image.Platform;
import hoist.engine.transport.ImageSource;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Copies a list: the chosen instances ({@code --all}: every one; {@code --platform}: those for the
 * platforms asked for; index-only: none), children first, then a list of just those entries.
 */
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

    /**
     * The entries of {@code list} the options choose, in list order: all of them for {@code --all}
     * and index-only, else those each of {@code options.platforms()} accepts (the first match per
     * platform). A platform the list has no image for is an error naming what it has.
     */
    static List<Descriptor> entriesFor(ManifestList list, CopyOptions options) {
        if (options.platforms().isEmpty()) {
            return list.manifests();
        }
        java.util.Set<Descriptor> chosen = new java.util.LinkedHashSet<>();
        for (Platform wanted : options.platforms()) {
            chosen.add(list.choose(wanted).orElseThrow(() -> new HoistException("the manifest list has no image for "
                    + wanted + " (it has " + String.join(", ", list.manifests().stream()
                    .map(d -> String.valueOf(d.platform())).toList()) + ")")));
        }
        return list.manifests().stream().filter(chosen::contains).toList();
    }

    /** Copies {@code entries} of {@code list} (all of it unless index-only) to every target, then the list of them. */
    Map<Target, Descriptor> copy(ManifestList list, List<Descriptor> entries, List<Target> targets,
                                 List<byte[]> signatures) throws IOException {
        for (Target target : targets) {
            if (!target.destination().acceptsLists()) {
                target.fail(new HoistException(target.name() + " cannot store a manifest list; copy one image "
                        + "(without --all) instead"));
            }
        }
        Map<Target, List<Descriptor>> children = new LinkedHashMap<>();
        targets.stream().filter(Target::alive).forEach(t -> children.put(t, new ArrayList<>()));
        listener.on(new CopyEvent.CopyingList(list.digest(), options.indexOnly() ? List.of()
                : entries.stream().map(d -> String.valueOf(d.platform())).toList()));
        if (options.indexOnly()) {
            children.values().forEach(c -> c.addAll(entries));
        }
        int index = 0;
        for (Descriptor entry : options.indexOnly() ? List.<Descriptor>of() : entries) {
            listener.on(new CopyEvent.CopyingInstance(++index, entries.size(), entry.digest()));
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
        List<String> accepted = options.format() != null ? target.destination().manifestTypesWhenAsked()
                : target.destination().supportedManifestTypes();
        if (!accepted.contains(wanted.listMediaType())) {
            throw new HoistException(target.name() + " does not accept " + wanted.listMediaType() + " manifest lists");
        }
        return wanted;
    }
}
