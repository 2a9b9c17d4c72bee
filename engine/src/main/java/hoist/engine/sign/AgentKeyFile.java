package hoist.engine.sign;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * gpg-agent's key files in the extended format ({@code Name: value} lines, the key in
 * {@code Key:} as an S-expression in GnuPG's advanced notation). gpg writes a binary value there
 * as a quoted string with escapes when it can (a salt such as {@code "0\u00ff\'\t"}), which
 * Bouncy Castle's parser keeps as text and then cannot use as bytes; rewritten as {@code #HEX#}
 * the value means the same and parses.
 *
 * @see <a href="https://github.com/gpg/gnupg/blob/master/agent/keyformat.txt">GnuPG's keyformat.txt</a>
 */
final class AgentKeyFile {

    /** Where the protection's salt stands: right after the hash name of its S2K parameters. */
    private static final java.util.regex.Pattern SALT_POSITION = java.util.regex.Pattern.compile("\\((sha1|sha256|sha512)\\s+$");

    private AgentKeyFile() {
    }

    /**
     * The file with every quoted string of its {@code Key:} value that holds binary data (bytes
     * outside printable ASCII, or the protection's salt, binary even when it happens to be
     * printable) written as hex; the file unchanged when it is not in the extended format. Text
     * values (a curve name, the S2K count, a timestamp) stay quoted.
     */
    static byte[] withBinaryStringsAsHex(byte[] file) {
        if (file.length == 0 || file[0] == '(') {
            return file; // the older canonical format: length-prefixed, no quoted strings
        }
        String text = new String(file, StandardCharsets.ISO_8859_1);
        int key = text.startsWith("Key:") ? 0 : text.indexOf("\nKey:");
        if (key < 0) {
            return file;
        }
        int start = key == 0 ? 4 : key + 5;
        int end = start;
        while (true) {
            int newline = text.indexOf('\n', end);
            if (newline < 0 || newline + 1 >= text.length() || (text.charAt(newline + 1) != ' ' && text.charAt(newline + 1) != '\t')) {
                end = newline < 0 ? text.length() : newline;
                break;
            }
            end = newline + 1;
        }
        StringBuilder out = new StringBuilder(text.substring(0, start));
        int i = start;
        while (i < end) {
            char c = text.charAt(i);
            if (c != '"') {
                out.append(c);
                i++;
                continue;
            }
            ByteArrayOutputStream value = new ByteArrayOutputStream();
            int j = i + 1;
            while (j < end && text.charAt(j) != '"') {
                char d = text.charAt(j);
                if (d == '\\' && j + 1 < end) {
                    j = unescape(text, j + 1, value);
                } else if (d == '\n') {
                    j++;
                    while (j < end && (text.charAt(j) == ' ' || text.charAt(j) == '\t')) {
                        j++; // a continuation line's indentation is not part of the value
                    }
                } else {
                    value.write(d);
                    j++;
                }
            }
            byte[] bytes = value.toByteArray();
            String plain = new String(bytes, StandardCharsets.ISO_8859_1);
            boolean salt = SALT_POSITION.matcher(out).find();
            if (!salt && plain.matches("[\\x20-\\x7e]*")) {
                out.append('"').append(plain).append('"');
            } else {
                out.append('#').append(org.bouncycastle.util.encoders.Hex.toHexString(bytes).toUpperCase(java.util.Locale.ROOT)).append('#');
            }
            i = Math.min(j + 1, end);
        }
        out.append(text, end, text.length());
        return out.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    /** Decodes the escape after a backslash at {@code at}; returns the index after it. */
    private static int unescape(String text, int at, ByteArrayOutputStream value) {
        char e = text.charAt(at);
        switch (e) {
            case 'b' -> value.write('\b');
            case 't' -> value.write('\t');
            case 'v' -> value.write(0x0b);
            case 'n' -> value.write('\n');
            case 'f' -> value.write('\f');
            case 'r' -> value.write('\r');
            case 'x' -> {
                if (at + 2 < text.length()) {
                    value.write(Integer.parseInt(text.substring(at + 1, at + 3), 16));
                    return at + 3;
                }
                value.write('x');
            }
            case '\n' -> {
                int next = at + 1;
                return next < text.length() && text.charAt(next) == '\r' ? next + 1 : next; // a line continuation
            }
            case '\r' -> {
                int next = at + 1;
                return next < text.length() && text.charAt(next) == '\n' ? next + 1 : next;
            }
            default -> {
                if (e >= '0' && e <= '7' && at + 2 < text.length()) {
                    value.write(Integer.parseInt(text.substring(at, at + 3), 8));
                    return at + 3;
                }
                value.write(e); // \" \' \\ and anything else stand for themselves
            }
        }
        return at + 1;
    }
}
