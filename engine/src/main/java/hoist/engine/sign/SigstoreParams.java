package hoist.engine.sign;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import hoist.engine.HoistException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Set;

/**
 * A sigstore signing parameter file ({@code --sign-by-sigstore}), as containers/image reads it:
 * {@code privateKeyFile} and {@code privateKeyPassphraseFile}. Keyless signing ({@code fulcio}) and
 * transparency-log upload ({@code rekorURL}) need network services hoist does not reach; a file
 * naming them is refused with a message saying so.
 *
 * @see <a href="https://github.com/containers/image/blob/main/docs/containers-sigstore-signing-params.yaml.5.md">containers-sigstore-signing-params.yaml(5)</a>
 */
public final class SigstoreParams {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Set<String> KNOWN = Set.of("privateKeyFile", "privateKeyPassphraseFile", "fulcio", "rekorURL");

    private SigstoreParams() {
    }

    /**
     * The signer the file at {@code file} describes, its key read and decrypted now.
     *
     * @throws HoistException when the file does not parse, names Fulcio or Rekor, or its key cannot be read
     */
    public static SigstoreSigner signer(Path file) throws IOException {
        JsonNode root;
        try {
            root = YAML.readTree(file.toFile());
        } catch (IOException e) {
            if (!Files.exists(file)) {
                throw new HoistException(file + ": no such file or directory");
            }
            throw new HoistException(file + ": not valid YAML: " + e.getMessage().lines().findFirst().orElse(""));
        }
        if (root == null || !root.isObject()) {
            throw new HoistException(file + ": not a mapping of sigstore signing parameters");
        }
        for (Iterator<String> names = root.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!KNOWN.contains(name)) {
                throw new HoistException(file + ": unknown field \"" + name + "\"");
            }
        }
        if (root.has("fulcio") || root.has("rekorURL")) {
            throw new HoistException(file + ": keyless signing with Fulcio and uploads to Rekor are not supported by hoist "
                    + "(it does not contact sigstore's services); sign with privateKeyFile alone");
        }
        if (!root.path("privateKeyFile").isTextual()) {
            throw new HoistException(file + ": privateKeyFile is required");
        }
        Path base = file.toAbsolutePath().getParent();
        Path key = base.resolve(root.get("privateKeyFile").asText());
        char[] passphrase = null;
        if (root.path("privateKeyPassphraseFile").isTextual()) {
            passphrase = firstLine(base.resolve(root.get("privateKeyPassphraseFile").asText()));
        }
        return new SigstoreSigner(SigstorePrivateKey.load(key, passphrase));
    }

    /** The first line of {@code file}, without its line end: how passphrase files are read. */
    public static char[] firstLine(Path file) throws IOException {
        String text = Files.readString(file, StandardCharsets.UTF_8);
        int newline = text.indexOf('\n');
        String line = newline < 0 ? text : text.substring(0, newline);
        return (line.endsWith("\r") ? line.substring(0, line.length() - 1) : line).toCharArray();
    }
}
