package hoist.engine.auth;

import com.fasterxml.jackson.databind.JsonNode;
import hoist.engine.HoistException;
import hoist.engine.image.Json;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** A {@code docker-credential-NAME} program, spoken to as docker does (get on stdin, JSON out). */
public record CredentialHelper(String name) {

    public Optional<Credentials> get(String registry) {
        String program = "docker-credential-" + name;
        try {
            Process process = new ProcessBuilder(program, "get").redirectErrorStream(false).start();
            try (OutputStream in = process.getOutputStream()) {
                in.write(registry.getBytes(StandardCharsets.UTF_8));
            }
            byte[] out = process.getInputStream().readAllBytes();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new HoistException(program + " did not answer within 30 s");
            }
            if (process.exitValue() != 0) {
                return Optional.empty(); // "credentials not found" is an exit status 1 with a message
            }
            JsonNode node = Json.read(out);
            String user = node.path("Username").asText("");
            String secret = node.path("Secret").asText("");
            return secret.isEmpty() ? Optional.empty() : Optional.of(new Credentials(user, secret));
        } catch (IOException e) {
            throw new HoistException("credential helper " + program + " could not be run: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HoistException("interrupted while asking " + program);
        }
    }
}
