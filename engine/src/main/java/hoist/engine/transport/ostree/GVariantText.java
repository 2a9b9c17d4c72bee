package hoist.engine.transport.ostree;

import hoist.engine.HoistException;

/**
 * Reads a string as GLib's GVariant text format prints it (what {@code ostree show
 * --print-metadata-key} writes): in single or double quotes, with {@code \}-escapes for quotes,
 * backslashes, control characters ({@code \n}, {@code \t}, ...) and {@code \\uXXXX} /
 * {@code \\UXXXXXXXX} code points.
 *
 * @see <a href="https://docs.gtk.org/glib/gvariant-text-format.html">GVariant text format</a>
 */
final class GVariantText {

    private GVariantText() {
    }

    /**
     * The string that {@code text} (one quoted literal) stands for.
     *
     * @throws HoistException naming {@code what} when it is not a quoted string
     */
    static String string(String text, String what) {
        if (text.length() < 2 || (text.charAt(0) != '\'' && text.charAt(0) != '"') || text.charAt(text.length() - 1) != text.charAt(0)) {
            throw new HoistException(what + " is not a string: " + (text.length() > 60 ? text.substring(0, 60) + "..." : text));
        }
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 1; i < text.length() - 1; i++) {
            char c = text.charAt(i);
            if (c != '\\') {
                out.append(c);
                continue;
            }
            char e = text.charAt(++i);
            switch (e) {
                case 'n' -> out.append('\n');
                case 't' -> out.append('\t');
                case 'r' -> out.append('\r');
                case 'a' -> out.append('\007');
                case 'b' -> out.append('\b');
                case 'f' -> out.append('\f');
                case 'v' -> out.append('\013');
                case 'u' -> {
                    out.appendCodePoint(Integer.parseInt(text.substring(i + 1, i + 5), 16));
                    i += 4;
                }
                case 'U' -> {
                    out.appendCodePoint(Integer.parseInt(text.substring(i + 1, i + 9), 16));
                    i += 8;
                }
                default -> out.append(e);
            }
        }
        return out.toString();
    }
}
