package hoist.engine.archive.tarsplit;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamReadException;

import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * Reads tar-split JSON lines one entry at a time, never the whole file: the lines of a large
 * layer's headers run to megabytes. A damaged line is a {@link TarSplitException} naming the line.
 *
 * @see <a href="https://github.com/vbatts/tar-split/blob/main/tar/storage/packer.go">tar-split unpacker</a>
 */
public final class TarSplitReader implements Closeable {

    private static final JsonFactory JSON = new JsonFactory();

    private final JsonParser parser;
    private final String source;
    private int count;

    /** Reads plain JSON lines from {@code in}; {@code source} names it in messages. */
    public TarSplitReader(InputStream in, String source) throws IOException {
        try {
            // the parser guesses the encoding from the first bytes: those of no JSON text fail here
            this.parser = JSON.createParser(in);
        } catch (java.io.CharConversionException e) {
            throw new TarSplitException(source + ": line 1 is not valid JSON: " + e.getMessage(), e);
        }
        this.source = source;
    }

    /** Opens a gzip-compressed tar-split file, as containers/storage keeps them ({@code ID.tar-split.gz}). */
    public static TarSplitReader openGzip(Path file) throws IOException {
        InputStream in = new GZIPInputStream(new BufferedInputStream(Files.newInputStream(file), 65536), 65536);
        try {
            return new TarSplitReader(in, file.toString());
        } catch (IOException | RuntimeException e) {
            in.close();
            throw e;
        }
    }

    /** The next entry, or null after the last. */
    public TarSplitEntry next() throws IOException {
        try {
            JsonToken token = parser.nextToken();
            if (token == null) {
                return null;
            }
            if (token != JsonToken.START_OBJECT) {
                throw new TarSplitException(source + ": line " + (count + 1) + " is not a JSON object");
            }
            int type = 0;
            byte[] name = null;
            long size = 0;
            byte[] payload = null;
            int position = -1;
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                if ((field.equals("name") || field.equals("name_raw") || field.equals("payload"))
                        && value != JsonToken.VALUE_STRING && value != JsonToken.VALUE_NULL) {
                    throw new TarSplitException(source + ": line " + (count + 1) + ": \"" + field + "\" is not a string");
                }
                switch (field) {
                    case "type" -> type = parser.getIntValue();
                    case "name" -> name = value == JsonToken.VALUE_NULL ? name : parser.getText().getBytes(StandardCharsets.UTF_8);
                    case "name_raw" -> name = value == JsonToken.VALUE_NULL ? name : parser.getBinaryValue();
                    case "size" -> size = parser.getLongValue();
                    case "payload" -> payload = value == JsonToken.VALUE_NULL ? null : parser.getBinaryValue();
                    case "position" -> position = parser.getIntValue();
                    default -> parser.skipChildren();
                }
            }
            count++;
            TarSplitEntry.Type kind;
            try {
                kind = TarSplitEntry.Type.of(type);
            } catch (IllegalArgumentException e) {
                throw new TarSplitException(source + ": line " + count + ": " + e.getMessage());
            }
            if (size < 0 || (kind == TarSplitEntry.Type.FILE && name == null)) {
                throw new TarSplitException(source + ": line " + count + " is not a valid entry");
            }
            return new TarSplitEntry(kind, name, size, kind == TarSplitEntry.Type.SEGMENT && payload == null ? new byte[0] : payload,
                    position);
        } catch (java.io.CharConversionException e) {
            // bytes that are no Unicode text at all in the encoding JSON detection settled on
            throw new TarSplitException(source + ": line " + (count + 1) + " is not valid JSON: " + e.getMessage(), e);
        } catch (StreamReadException e) {
            // not JSON, or a number where none fits (a size beyond a long, a position beyond an int)
            throw new TarSplitException(source + ": line " + (count + 1) + " is not valid JSON: " + e.getOriginalMessage(), e);
        } catch (java.util.zip.ZipException | java.io.EOFException e) {
            throw new TarSplitException(source + ": damaged compressed data after line " + count, e);
        }
    }

    @Override
    public void close() throws IOException {
        parser.close();
    }
}
