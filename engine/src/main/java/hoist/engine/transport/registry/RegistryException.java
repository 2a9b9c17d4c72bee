package hoist.engine.transport.registry;

import com.fasterxml.jackson.databind.JsonNode;
import hoist.engine.HoistException;
import hoist.engine.image.Json;
import okhttp3.Response;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A registry said no. The message carries what the registry's JSON error body says
 * ({@code errors[].code/message}), or the HTTP status when there is no body.
 */
public class RegistryException extends HoistException {

    private final int status;

    public RegistryException(String message, int status) {
        super(message);
        this.status = status;
    }

    public int status() {
        return status;
    }

    /** Reads the response's error body into a message: {@code WHAT: MESSAGE (CODE)}. */
    static RegistryException from(Response response, String what) {
        String detail = errorText(response);
        String text = switch (response.code()) {
            case 401 -> refusedUser(response)
                    .map(user -> "the registry refused the credentials of user \"" + user + "\""
                            + (detail.isEmpty() ? "" : " (" + detail + ")") + "; check the password (--creds, or hoist login)")
                    .orElse("authentication required" + (detail.isEmpty() ? "" : " (" + detail + ")")
                            + "; log in with hoist login or give --creds");
            case 403 -> "access denied" + (detail.isEmpty() ? "" : " (" + detail + ")");
            default -> detail.isEmpty() ? "HTTP " + response.code() + " " + response.message() : detail;
        };
        return new RegistryException(what + ": " + text, response.code());
    }

    /**
     * The user whose Basic credentials the refused request carried, if it carried any: the
     * password in the same header is never read out.
     */
    static java.util.Optional<String> refusedUser(Response response) {
        String header = response.request().header("Authorization");
        if (header == null || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
            return java.util.Optional.empty();
        }
        try {
            String pair = new String(java.util.Base64.getDecoder().decode(header.substring(6).strip()),
                    java.nio.charset.StandardCharsets.UTF_8);
            int colon = pair.indexOf(':');
            return java.util.Optional.of(colon < 0 ? pair : pair.substring(0, colon));
        } catch (IllegalArgumentException e) {
            return java.util.Optional.empty();
        }
    }

    private static String errorText(Response response) {
        try {
            byte[] body = response.peekBody(64 * 1024).bytes();
            if (body.length == 0) {
                return "";
            }
            JsonNode root = Json.read(body);
            List<String> parts = new ArrayList<>();
            for (JsonNode error : root.path("errors")) {
                String message = error.path("message").asText("");
                String code = error.path("code").asText("");
                parts.add(message.isEmpty() ? code : code.isEmpty() ? message : message + " (" + code + ")");
            }
            return String.join("; ", parts);
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }
}
