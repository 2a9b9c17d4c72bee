package hoist.dsl.command;

import com.fasterxml.jackson.databind.node.ObjectNode;
import hoist.dsl.format.GoTemplate;
import hoist.dsl.format.GoTime;
import hoist.engine.inspect.ImageInspection;

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
            data.put("Created", GoTime.format(data.get("Created").asText()));
        }
        return template.render(data);
    }
}
