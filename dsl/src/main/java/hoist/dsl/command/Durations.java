package hoist.dsl.command;

import hoist.engine.HoistException;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations written as podman writes them (Go's syntax): {@code 500ms}, {@code 2s}, {@code 1m30s}, {@code 1h}. */
final class Durations {

    private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m|h)");

    private Durations() {
    }

    static Duration parse(String option, String text) {
        Matcher m = PART.matcher(text);
        Duration total = Duration.ZERO;
        int end = 0;
        while (m.find()) {
            if (m.start() != end) {
                break;
            }
            double amount = Double.parseDouble(m.group(1));
            long millis = (long) (amount * switch (m.group(2)) {
                case "ms" -> 1;
                case "s" -> 1000;
                case "m" -> 60_000;
                default -> 3_600_000;
            });
            total = total.plusMillis(millis);
            end = m.end();
        }
        if (end == 0 || end != text.length()) {
            throw HoistException.usage(option + " \"" + text + "\" is not a duration: expected e.g. 500ms, 2s, 1m30s");
        }
        return total;
    }
}
