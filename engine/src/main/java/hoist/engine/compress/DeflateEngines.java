package hoist.engine.compress;

import java.util.Locale;

/** Decides, once, which {@link DeflateEngine} this process uses. */
final class DeflateEngines {

    static final DeflateEngine CURRENT = choose();

    private DeflateEngines() {
    }

    private static DeflateEngine choose() {
        String asked = System.getProperty("hoist.deflate", System.getenv().getOrDefault("HOIST_DEFLATE", "isal"));
        if (asked.toLowerCase(Locale.ROOT).equals("jdk")) {
            return new JdkDeflate("asked for with hoist.deflate/HOIST_DEFLATE");
        }
        IsalDeflate.Loaded loaded = IsalDeflate.load();
        return loaded.engine() != null ? loaded.engine() : new JdkDeflate(loaded.whyNot());
    }
}
