package hoist.engine.auth;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * A user name and a secret (a password, or an identity token when {@code username} is
 * {@code <token>}). {@link #toString()} never shows the secret.
 */
public record Credentials(String username, String secret) {

    /** Docker's marker for an identity (refresh) token stored in place of a password. */
    public static final String IDENTITY_TOKEN_USER = "<token>";

    /** Parses {@code --creds USER[:PASS]}; the password may be missing (then it is asked for). */
    public static Credentials parse(String userColonPass) {
        int colon = userColonPass.indexOf(':');
        return colon < 0 ? new Credentials(userColonPass, null)
                : new Credentials(userColonPass.substring(0, colon), userColonPass.substring(colon + 1));
    }

    public boolean isIdentityToken() {
        return IDENTITY_TOKEN_USER.equals(username);
    }

    /** The {@code auth} value of auth.json and of Basic authentication: base64 of user:secret. */
    public String basicToken() {
        return Base64.getEncoder().encodeToString((username + ":" + secret).getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public String toString() {
        return "Credentials[" + username + "]";
    }
}
