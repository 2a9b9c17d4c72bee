package hoist.engine.sealos;

import hoist.engine.HoistException;

import java.util.Locale;

/**
 * When {@code push} writes the image's custom resource, as sealos's {@code --cr-option} says.
 *
 * @see <a href="https://github.com/labring/sealos/blob/v4.3.0/pkg/buildah/push.go">sealos push</a>
 */
public enum CrOption {
    /** After the push, always (sealos's kubeconfig for the registry user, else kubectl's): a missing kubeconfig is an error. */
    YES,
    /** Never. */
    NO,
    /** Instead of the push: only the custom resource is written. */
    ONLY,
    /**
     * After the push, when the destination registry has credentials and sealos's kubeconfig for that
     * user exists ({@code $HOME/.sealos/REGISTRY/USER/config}); silently not otherwise.
     */
    AUTO;

    /**
     * {@code yes}, {@code no}, {@code only} or {@code auto} (any case).
     *
     * @throws HoistException a usage error for any other text
     */
    public static CrOption parse(String text) {
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "yes" -> YES;
            case "no" -> NO;
            case "only" -> ONLY;
            case "auto" -> AUTO;
            default -> throw HoistException.usage("unknown --cr-option \"" + text + "\": expected yes, no, only or auto");
        };
    }

    /** The text {@link #parse} reads. */
    public String text() {
        return name().toLowerCase(Locale.ROOT);
    }
}
