package hoist.engine.image;

import java.util.List;
import java.util.Locale;

/** An OCI platform: what an image runs on. {@code variant} and {@code osVersion} may be null. */
public record Platform(String os, String architecture, String variant, String osVersion, List<String> osFeatures) {

    public Platform {
        osFeatures = osFeatures == null ? List.of() : List.copyOf(osFeatures);
    }

    public Platform(String os, String architecture, String variant) {
        this(os, architecture, variant, null, List.of());
    }

    /** The platform of the running JVM, named as Go (and so every image) names them. */
    public static Platform current() {
        String os = System.getProperty("os.name", "linux").toLowerCase(Locale.ROOT);
        String goOs = os.contains("win") ? "windows" : os.contains("mac") ? "darwin" : "linux";
        String arch = System.getProperty("os.arch", "amd64").toLowerCase(Locale.ROOT);
        return switch (arch) {
            case "amd64", "x86_64" -> new Platform(goOs, "amd64", null);
            case "aarch64", "arm64" -> new Platform(goOs, "arm64", "v8");
            case "arm" -> new Platform(goOs, "arm", "v7");
            case "x86", "i386", "i686" -> new Platform(goOs, "386", null);
            default -> new Platform(goOs, arch, null);
        };
    }

    /** Parses {@code os/arch[/variant]} as podman's {@code --platform} does. */
    public static Platform parse(String text) {
        String[] parts = text.split("/");
        if (parts.length < 2 || parts.length > 3 || parts[0].isEmpty() || parts[1].isEmpty()) {
            throw new IllegalArgumentException("invalid platform \"" + text + "\": expected os/arch[/variant]");
        }
        return new Platform(parts[0], parts[1], parts.length == 3 ? parts[2] : null);
    }

    /**
     * Whether an image built for {@code candidate} serves this platform. The variant must match
     * when both sides name one; arm64's "v8" is its default and so equal to no variant.
     */
    public boolean accepts(Platform candidate) {
        if (candidate == null || !os.equals(candidate.os) || !architecture.equals(candidate.architecture)) {
            return false;
        }
        String mine = normalVariant(this);
        String theirs = normalVariant(candidate);
        return mine == null || theirs == null || mine.equals(theirs);
    }

    private static String normalVariant(Platform p) {
        if (p.variant == null || p.variant.isEmpty()) {
            return null;
        }
        return p.architecture.equals("arm64") && p.variant.equals("v8") ? null : p.variant;
    }

    @Override
    public String toString() {
        return os + "/" + architecture + (variant == null || variant.isEmpty() ? "" : "/" + variant);
    }
}
