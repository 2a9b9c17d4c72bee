package hoist.engine.transport.registry;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** A parsed {@code WWW-Authenticate} header: the scheme and its parameters (realm, service, scope). */
record Challenge(String scheme, Map<String, String> parameters) {

    static Challenge parse(String header) {
        String trimmed = header.strip();
        int space = trimmed.indexOf(' ');
        String scheme = (space < 0 ? trimmed : trimmed.substring(0, space)).toLowerCase(Locale.ROOT);
        Map<String, String> parameters = new LinkedHashMap<>();
        String rest = space < 0 ? "" : trimmed.substring(space + 1);
        int i = 0;
        while (i < rest.length()) {
            int eq = rest.indexOf('=', i);
            if (eq < 0) {
                break;
            }
            String key = rest.substring(i, eq).strip().toLowerCase(Locale.ROOT);
            StringBuilder value = new StringBuilder();
            int j = eq + 1;
            if (j < rest.length() && rest.charAt(j) == '"') {
                j++;
                while (j < rest.length() && rest.charAt(j) != '"') {
                    if (rest.charAt(j) == '\\' && j + 1 < rest.length()) {
                        j++;
                    }
                    value.append(rest.charAt(j++));
                }
                j++; // closing quote
            } else {
                while (j < rest.length() && rest.charAt(j) != ',') {
                    value.append(rest.charAt(j++));
                }
            }
            parameters.put(key, value.toString().strip());
            int comma = rest.indexOf(',', j);
            i = comma < 0 ? rest.length() : comma + 1;
        }
        return new Challenge(scheme, parameters);
    }

    boolean isBearer() {
        return scheme.equals("bearer");
    }

    boolean isBasic() {
        return scheme.equals("basic");
    }
}
