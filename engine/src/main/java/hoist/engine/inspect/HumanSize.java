package hoist.engine.inspect;

import java.util.Locale;

/** Byte counts for people, in decimal units as podman shows them: {@code 0 B}, {@code 1.50 kB}, {@code 3.15 MB}. */
public final class HumanSize {

    private static final String[] UNITS = {"B", "kB", "MB", "GB", "TB"};

    private HumanSize() {
    }

    public static String of(long bytes) {
        double value = bytes;
        int unit = 0;
        while (value >= 1000 && unit < UNITS.length - 1) {
            value /= 1000;
            unit++;
        }
        return unit == 0 ? bytes + " B" : String.format(Locale.ROOT, "%.3g %s", value, UNITS[unit]);
    }
}
