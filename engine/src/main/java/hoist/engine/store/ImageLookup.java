package hoist.engine.store;

import hoist.engine.HoistException;
import hoist.engine.transport.DockerReference;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * How text names a stored image, as podman resolves it: a full name; a short name
 * ({@code app:1} is {@code localhost/app:1}, then {@code docker.io/library/app:1}, then any single
 * {@code REGISTRY/.../app:1}); a full image ID; or a unique prefix of one.
 */
final class ImageLookup {

    private static final Pattern HEX_PREFIX = Pattern.compile("(?:sha256:)?[a-f0-9]{3,64}");

    private ImageLookup() {
    }

    static StoredImage resolve(List<StoredImage> images, String text) {
        return find(images, text).orElseThrow(() -> new HoistException(text + ": image not known"));
    }

    static Optional<StoredImage> find(List<StoredImage> images, String text) {
        Optional<StoredImage> byName = byName(images, text);
        if (byName.isPresent()) {
            return byName;
        }
        return byId(images, text);
    }

    /** The name of {@code image} that {@code text} matched, if it matched a name rather than the ID. */
    static Optional<String> nameMatched(StoredImage image, String text) {
        for (String candidate : candidates(text)) {
            if (image.names().contains(candidate)) {
                return Optional.of(candidate);
            }
        }
        List<String> suffixed = suffixMatches(image, text);
        return suffixed.size() == 1 ? Optional.of(suffixed.get(0)) : Optional.empty();
    }

    private static Optional<StoredImage> byName(List<StoredImage> images, String text) {
        for (String candidate : candidates(text)) {
            for (StoredImage image : images) {
                if (image.names().contains(candidate)) {
                    return Optional.of(image);
                }
            }
        }
        if (DockerReference.isQualified(text)) {
            return Optional.empty();
        }
        List<StoredImage> matches = new ArrayList<>();
        List<String> matchedNames = new ArrayList<>();
        for (StoredImage image : images) {
            List<String> names = suffixMatches(image, text);
            if (!names.isEmpty()) {
                matches.add(image);
                matchedNames.addAll(names);
            }
        }
        if (matches.size() > 1) {
            throw new HoistException("\"" + text + "\" is ambiguous: it could be " + String.join(", ", matchedNames));
        }
        return matches.stream().findFirst();
    }

    /** Full names the text may stand for, most likely first. */
    private static List<String> candidates(String text) {
        List<String> names = new ArrayList<>();
        try {
            if (DockerReference.isQualified(text)) {
                names.add(DockerReference.parse(text).withDefaultTag().toString());
            } else {
                names.add(DockerReference.parse("localhost/" + text).withDefaultTag().toString());
                names.add(DockerReference.parse(text).withDefaultTag().toString());
            }
        } catch (HoistException e) {
            // not a name at all: it may still be an ID
        }
        return names;
    }

    /** Names of the image ending in {@code /text} (with the default tag when none is given). */
    private static List<String> suffixMatches(StoredImage image, String text) {
        String wanted;
        try {
            DockerReference ref = DockerReference.parse("x.invalid/" + text).withDefaultTag();
            wanted = "/" + ref.path() + (ref.tag() != null ? ":" + ref.tag() : "") + (ref.digest() != null ? "@" + ref.digest() : "");
        } catch (HoistException e) {
            return List.of();
        }
        return image.names().stream().filter(n -> n.endsWith(wanted)).toList();
    }

    private static Optional<StoredImage> byId(List<StoredImage> images, String text) {
        if (!HEX_PREFIX.matcher(text).matches()) {
            return Optional.empty();
        }
        String hex = text.startsWith("sha256:") ? text.substring(7) : text;
        List<StoredImage> matches = images.stream().filter(i -> i.id().hex().startsWith(hex)).toList();
        if (matches.size() > 1) {
            throw new HoistException("image ID prefix \"" + text + "\" is ambiguous: it matches "
                    + String.join(", ", matches.stream().map(i -> i.id().shortHex()).toList()));
        }
        return matches.stream().findFirst();
    }
}
