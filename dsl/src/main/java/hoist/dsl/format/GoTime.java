package hoist.dsl.format;

import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/** Times as Go's {@code time.Time} prints them, for templates written for skopeo and podman. */
public final class GoTime {

    private GoTime() {
    }

    /** An RFC 3339 time as Go prints a {@code time.Time}: {@code 2024-05-01 10:00:00.5 +0000 UTC}. */
    public static String format(String rfc3339) {
        try {
            OffsetDateTime time = OffsetDateTime.parse(rfc3339);
            String fraction = time.getNano() == 0 ? ""
                    : ("." + String.format("%09d", time.getNano())).replaceAll("0+$", "");
            String offset = time.getOffset().getTotalSeconds() == 0 ? "+0000 UTC"
                    : time.format(DateTimeFormatter.ofPattern("xx")) + " "
                    + time.format(DateTimeFormatter.ofPattern("xx"));
            return time.format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")) + fraction + " " + offset;
        } catch (DateTimeParseException e) {
            return rfc3339;
        }
    }
}
