package hoist.dsl.command;

import hoist.engine.HoistException;

/** What login and logout accept as a registry: {@code host[:port]}, with or without a scheme. */
final class RegistryNames {

    private RegistryNames() {
    }

    static String host(String text) {
        String host = text.replaceFirst("^https?://", "").replaceFirst("/+$", "");
        if (host.isEmpty() || host.contains("/")) {
            throw HoistException.usage("\"" + text + "\" is not a registry: expected host[:port]");
        }
        return host.equals("index.docker.io") || host.equals("registry-1.docker.io") ? "docker.io" : host;
    }
}
