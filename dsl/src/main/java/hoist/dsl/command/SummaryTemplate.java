package hoist.dsl.command;

import com.fasterxml.jackson.databind.node.ObjectNode;
import hoist.dsl.format.GoTemplate;
import hoist.engine.inspect.ImageInspection;

import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;

/**
 * {@code inspect --format}: skopeo's summary rendered through a Go template. Apart from
 * {@link InspectCommand} so that building the command's model (every command line does) loads no JSON classes.
 */
final class SummaryTemplate {

    private SummaryTemplate() {
    }

    /**
     * The summary through the template, as skopeo formats it: {@code {{json .}}} alone is the
     * summary as printed without --format; fields skopeo's summary always has but leaves out of
     * its JSON when empty ({@code Name}, {@code Variant}) are there, empty.
     */
    static String render(GoTemplate template, ImageInspection inspection) {
        if (template.toString().strip().matches("\\{\\{\\s*json\\s+\\.\\s*}}")) {
            return inspection.summaryJson();
        }
        ObjectNode data = inspection.summary();
        for (String field : List.of("Name", "Variant")) {
            if (!data.has(field)) {
                data.put(field, "");
            }
        }
        if (data.hasNonNull("Created")) {
            data.put("Created", goTime(data.get("Created").asText()));
        }
        return template.render(data);
    }

    /** An RFC 3339 time as Go prints a {@code time.Time}: {@code 2024-05-01 10:00:00.5 +0000 UTC}. */
    static String goTime(String rfc3339) {
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
