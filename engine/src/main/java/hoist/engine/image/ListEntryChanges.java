package hoist.engine.image;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a user sets on an entry of a list ({@code manifest add}/{@code annotate} options): each
 * platform field replaces what the image's config said when given (null: keep), annotations are
 * added to the entry's own.
 */
public record ListEntryChanges(String os, String architecture, String variant, String osVersion,
                               List<String> osFeatures, Map<String, String> annotations) {

    public static final ListEntryChanges NONE = new ListEntryChanges(null, null, null, null, null, Map.of());

    public ListEntryChanges {
        osFeatures = osFeatures == null ? null : List.copyOf(osFeatures);
        annotations = annotations == null ? Map.of() : Map.copyOf(annotations);
    }

    public boolean isEmpty() {
        return os == null && architecture == null && variant == null && osVersion == null && osFeatures == null
                && annotations.isEmpty();
    }

    /** The entry with these changes made. */
    public Descriptor applyTo(Descriptor entry) {
        Platform base = entry.platform() != null ? entry.platform() : new Platform("", "", null);
        Platform platform = new Platform(os != null ? os : base.os(),
                architecture != null ? architecture : base.architecture(),
                variant != null ? variant : base.variant(),
                osVersion != null ? osVersion : base.osVersion(),
                osFeatures != null ? osFeatures : base.osFeatures());
        Map<String, String> merged = new LinkedHashMap<>(entry.annotations());
        merged.putAll(annotations);
        Descriptor changed = entry.withAnnotations(merged);
        boolean noPlatform = entry.platform() == null && platform.os().isEmpty() && platform.architecture().isEmpty();
        return noPlatform ? changed : changed.withPlatform(platform);
    }
}
