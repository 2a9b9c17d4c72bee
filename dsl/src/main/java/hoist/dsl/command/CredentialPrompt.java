package hoist.dsl.command;

import hoist.engine.HoistException;
import hoist.engine.auth.Credentials;

import java.io.Console;

/** Asks for what credentials lack, without echo, when a terminal is there to ask on. */
final class CredentialPrompt {

    private CredentialPrompt() {
    }

    static Credentials complete(Credentials credentials) {
        String user = credentials.username();
        String secret = credentials.secret();
        Console console = System.console();
        if ((user == null || user.isEmpty()) && console != null) {
            user = console.readLine("Username: ");
        }
        if (secret == null && console != null) {
            char[] typed = console.readPassword("Password: ");
            secret = typed == null ? null : new String(typed);
        }
        if (user == null || user.isEmpty() || secret == null) {
            throw HoistException.usage("credentials need a user name and a password (no terminal to ask for them)");
        }
        return new Credentials(user, secret);
    }
}
