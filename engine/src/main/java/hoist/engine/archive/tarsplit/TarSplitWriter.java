package hoist.engine.archive.tarsplit;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.Base64Variants;

import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Writes tar-split JSON lines, one entry per line with the fields and field order tar-split
 * writes: {@code type}, {@code name} (or {@code name_raw}, base64, when the name is not UTF-8),
 * {@code size} (left out when 0), {@code payload} (base64, or null), {@code position}. Positions
 * are numbered here, from 0.
 *
 * @see <a href="https://github.com/vbatts/tar-split/blob/main/tar/storage/packer.go">tar-split packer</a>
 */
public final class TarSplitWriter implements TarSplitSink, Closeable {

    private static final JsonFactory JSON = new JsonFactory();

    private final OutputStream out;
    private final JsonGenerator json;
    private int position;

    /** Writes to {@code out}, which this writer closes. */
    public TarSplitWriter(OutputStream out) throws IOException {
        this.out = out;
        this.json = JSON.createGenerator(out);
        this.json.configure(JsonGenerator.Feature.AUTO_CLOSE_TARGET, false);
        this.json.setRootValueSeparator(null); // each line ends with its own newline, as tar-split's encoder writes
    }

    /** Writes a line of raw archive bytes. */
    @Override
    public void segment(byte[] bytes) throws IOException {
        json.writeStartObject();
        json.writeNumberField("type", TarSplitEntry.Type.SEGMENT.code());
        json.writeFieldName("payload");
        json.writeBinary(Base64Variants.MIME_NO_LINEFEEDS, bytes, 0, bytes.length);
        json.writeNumberField("position", position++);
        json.writeEndObject();
        newline();
    }

    /** A file entry; {@code checksum} is null for entries without content. */
    @Override
    public void file(byte[] name, long size, byte[] checksum) throws IOException {
        json.writeStartObject();
        json.writeNumberField("type", TarSplitEntry.Type.FILE.code());
        String text = utf8(name);
        if (text != null) {
            json.writeStringField("name", text);
        } else {
            json.writeFieldName("name_raw");
            json.writeBinary(Base64Variants.MIME_NO_LINEFEEDS, name, 0, name.length);
        }
        if (size != 0) {
            json.writeNumberField("size", size);
        }
        json.writeFieldName("payload");
        if (checksum == null) {
            json.writeNull();
        } else {
            json.writeBinary(Base64Variants.MIME_NO_LINEFEEDS, checksum, 0, checksum.length);
        }
        json.writeNumberField("position", position++);
        json.writeEndObject();
        newline();
    }

    private void newline() throws IOException {
        json.writeRaw('\n');
    }

    private static String utf8(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    @Override
    public void close() throws IOException {
        json.close();
        out.close();
    }
}
