package hoist.engine.image;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.UncheckedIOException;

/** The one JSON mapper of the engine: strict on reading, compact and escape-free on writing. */
public final class Json {

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET)
            .build();

    /** Indented as Go's encoder indents (skopeo's output): {@code "key": value}, one array element a line. */
    private static final ObjectMapper PRETTY = MAPPER.copy().setDefaultPrettyPrinter(goStylePrinter())
            .enable(SerializationFeature.INDENT_OUTPUT);

    private static DefaultPrettyPrinter goStylePrinter() {
        Separators separators = Separators.createDefaultInstance()
                .withObjectFieldValueSpacing(Separators.Spacing.AFTER)
                .withArrayEmptySeparator("")
                .withObjectEmptySeparator("");
        DefaultPrettyPrinter printer = new DefaultPrettyPrinter().withSeparators(separators);
        DefaultIndenter fourSpaces = new DefaultIndenter("    ", "\n"); // json.MarshalIndent(v, "", "    ")
        printer.indentObjectsWith(fourSpaces);
        printer.indentArraysWith(fourSpaces);
        return printer;
    }

    private Json() {
    }

    /**
     * What is wrong with unparseable JSON, in one line for an {@code Error:}: the parser's own
     * words without the position trailer ("at [Source: ...]") that names no file a user knows.
     */
    public static String problem(IOException e) {
        String message = e instanceof com.fasterxml.jackson.core.JacksonException j ? j.getOriginalMessage() : e.getMessage();
        return String.valueOf(message).replaceAll("\\s*\\((?:for \\w+ starting|start marker) at \\[Source.*", "")
                .lines().findFirst().orElse("");
    }

    public static ObjectMapper mapper() {
        return MAPPER;
    }

    public static JsonNode read(byte[] bytes) throws IOException {
        return MAPPER.readTree(bytes);
    }

    public static byte[] write(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String pretty(Object value) {
        try {
            return PRETTY.writeValueAsString(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
