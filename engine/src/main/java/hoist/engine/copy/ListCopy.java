package hoist.engine.copy;

import hoist.engine.HoistException;
import hoist.engine.compress.Compression;
import hoist.engine.image.Descriptor;
import hoist.engine.image.ImageManifest;
import hoist.engine.image.ManifestFormat;
import hoist.engine.image.ManifestList;
import hoist.engine.image.MediaTypes;
import hoist.engine.image.Platform;
import hoist.engine.transport.ImageSource;

import java.io.IOException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Copies a list: the chosen instances ({@code --all}: every one; {@code --platform}: those for the
 * platforms asked for; index-only: none), children first, then a list of just those entries.
 * With compression variants ({@code manifest push --add-compression}), each platform that has no
 * instance in a variant's compression gains one: its first instance copied again with every layer
 * in that compression, added after the list's own instances with the instance's platform and
 * annotations, and for zstd the annotation {@value #ZSTD_ANNOTATION}, as podman writes them.
 */
final class ListCopy {

    /** The annotation podman puts on an instance whose layers are zstd (value {@code "true"}). */
    static final String ZSTD_ANNOTATION = "io.github.containers.compression.zstd";

    private final ImageSource source;
    private final ImageCopy images;
    private final ProgressListener listener;
    private final CopyOptions options;
    private final Map<Compression, ImageCopy> variants;

    /** {@code variants}: per compression to add, the image copy that writes it (empty: none). */
    ListCopy(ImageSource source, ImageCopy images, ProgressListener listener, CopyOptions options,
             Map<Compression, ImageCopy> variants) {
        this.source = source;
        this.images = images;
        this.listener = listener;
        this.options = options;
        this.variants = variants;
    }

    /** One image to write: a list entry as it is ({@code variant} null), or again in {@code variant}. */
    private record Job(Descriptor entry, Compression variant) {
    }

    /** The instances to write: each of {@code entries}, and after it the variants its platform still lacks in {@code list}. */
    private List<Job> jobs(ManifestList list, List<Descriptor> entries) {
        Map<Platform, Set<Compression>> present = new HashMap<>();
        for (Descriptor entry : list.manifests()) {
            present.computeIfAbsent(entry.platform(), p -> EnumSet.noneOf(Compression.class)).add(compressionOf(entry));
        }
        List<Job> jobs = new ArrayList<>();
        for (Descriptor entry : entries) {
            jobs.add(new Job(entry, null));
            Set<Compression> has = present.get(entry.platform());
            for (Compression variant : variants.keySet()) {
                if (has.add(variant)) {
                    jobs.add(new Job(entry, variant));
                }
            }
        }
        return jobs;
    }

    /** What a list says of an instance's compression: zstd when annotated so, gzip otherwise (as podman reads it). */
    private static Compression compressionOf(Descriptor entry) {
        return "true".equals(entry.annotations().get(ZSTD_ANNOTATION)) ? Compression.ZSTD : Compression.GZIP;
    }

    /** The list entry of a variant: the original's platform and annotations, plus the compression's. */
    private static Descriptor variantEntry(Descriptor original, Compression variant, Descriptor written) {
        Map<String, String> annotations = new LinkedHashMap<>(original.annotations());
        annotations.remove(ZSTD_ANNOTATION);
        if (variant.base() == Compression.ZSTD) {
            annotations.put(ZSTD_ANNOTATION, "true");
        }
        return original.withMediaType(written.mediaType()).withDigestAndSize(written.digest(), written.size())
                .withAnnotations(annotations);
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

    /**
     * Copies {@code entries} of {@code list} (all of it unless index-only) to every target, each
     * with its signatures in {@code instanceSignatures} (by the entry's digest; none for an entry
     * not there, or for a compression variant), then the list of them with {@code signatures}.
     */
    Map<Target, Descriptor> copy(ManifestList list, List<Descriptor> entries, List<Target> targets,
                                 List<byte[]> signatures, Map<hoist.engine.image.Digest, List<byte[]>> instanceSignatures) throws IOException {
        for (Target target : targets) {
            if (!target.destination().acceptsLists()) {
                target.fail(new HoistException(target.name() + " cannot store a manifest list; copy one image "
                        + "(without --all) instead"));
            }
        }
        Map<Target, List<Descriptor>> children = new LinkedHashMap<>();
        Map<Target, List<Descriptor>> added = new LinkedHashMap<>();
        targets.stream().filter(Target::alive).forEach(t -> {
            children.put(t, new ArrayList<>());
            added.put(t, new ArrayList<>());
        });
        listener.on(new CopyEvent.CopyingList(list.digest(), options.indexOnly() ? List.of()
                : entries.stream().map(d -> String.valueOf(d.platform())).toList()));
        if (options.indexOnly()) {
            children.values().forEach(c -> c.addAll(entries));
        }
        List<Job> jobs = options.indexOnly() ? List.of() : jobs(list, entries);
        int index = 0;
        for (Job job : jobs) {
            Descriptor entry = job.entry();
            listener.on(new CopyEvent.CopyingInstance(++index, jobs.size(), entry.digest()));
            ImageManifest child = source.instanceImage(entry.digest());
            ImageCopy copy = job.variant() == null ? images : variants.get(job.variant());
            List<byte[]> carried = job.variant() == null ? instanceSignatures.getOrDefault(entry.digest(), List.of()) : List.of();
            Map<Target, Descriptor> written = copy.copy(child, entry.digest(), targets, true, carried);
            for (Map.Entry<Target, List<Descriptor>> e : (job.variant() == null ? children : added).entrySet()) {
                Descriptor d = written.get(e.getKey());
                if (d != null) {
                    e.getValue().add(job.variant() == null
                            ? entry.withMediaType(d.mediaType()).withDigestAndSize(d.digest(), d.size())
                            : variantEntry(entry, job.variant(), d));
                }
            }
        }
        Map<Target, Descriptor> result = new LinkedHashMap<>();
        for (Map.Entry<Target, List<Descriptor>> e : children.entrySet()) {
            Target target = e.getKey();
            if (target.alive()) {
                List<Descriptor> written = new ArrayList<>(e.getValue());
                written.addAll(added.get(target));
                writeList(list, target, written, signatures).ifPresent(d -> result.put(target, d));
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
        return ManifestWrite.write(target, out, false, out != list, signatures, listener, options);
    }

    /** The list's own format where possible; an OCI index when a child became OCI (a Docker list cannot hold one). */
    private ManifestFormat listFormat(ManifestList list, Target target, List<Descriptor> entries) {
        // a zstd variant is an OCI child (schema2 has no zstd), so it makes the list an OCI index too
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
