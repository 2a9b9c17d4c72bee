package hoist.engine.transport;

import hoist.engine.HoistException;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The one parser of {@code transport:details}: what each prefix means, and one error per kind of mistake. */
class TransportsTest {

    /** Transport names of containers/image's tools; whichever are registered must be parsed by their transport. */
    private static final List<String> FIELD = List.of("containers-storage", "dir", "docker", "docker-archive",
            "docker-daemon", "oci", "oci-archive", "ostree", "sif", "tarball", "local");

    @Test
    void aRegisteredTransportParsesItsOwnReferences() {
        for (String name : Transports.names()) {
            String details = name.equals("docker") ? "//example.com/app:1" : "/tmp/x";
            if (name.equals("local") || name.endsWith("-storage") || name.endsWith("-daemon")) {
                details = "example.com/app:1";
            }
            String text = name + ":" + details;
            Optional<ImageReference> parsed;
            try {
                parsed = Transports.parseExplicit(text);
            } catch (HoistException e) {
                // a transport may refuse this sample; then it is its own error about the reference, not the prefix
                assertTrue(e.getMessage().contains(text) && !e.getMessage().contains("transport"), e::getMessage);
                continue;
            }
            assertTrue(parsed.isPresent(), text);
            assertEquals(Transports.get(name).parse(details).text(), parsed.get().text(), text);
        }
    }

    @Test
    void aFieldTransportThisBuildLacksIsNamedAsMissing() {
        List<String> missing = FIELD.stream().filter(n -> !Transports.names().contains(n)).toList();
        assertTrue(!missing.isEmpty() || Transports.names().containsAll(FIELD));
        for (String name : missing) {
            for (String text : List.of(name + ":x", name + ":localhost/a:1", name + ":/some/path")) {
                HoistException e = assertThrows(HoistException.class, () -> Transports.parse(text, "local"), text);
                assertEquals(HoistException.FAILED, e.exitStatus(), text);
                assertTrue(e.getMessage().contains("the " + name + " transport is not available"), e::getMessage);
                assertThrows(HoistException.class, () -> Transports.parseExplicit(text), text);
            }
        }
    }

    @Test
    void anUnknownTransportAndABadReferenceAreUsageErrorsOfTheirOwn() {
        HoistException unknown = assertThrows(HoistException.class, () -> Transports.parse("nonsense:/a", "local"));
        assertEquals(HoistException.USAGE, unknown.exitStatus());
        assertTrue(unknown.getMessage().startsWith("unknown transport \"nonsense\""), unknown::getMessage);

        HoistException bad = assertThrows(HoistException.class, () -> Transports.parse("oci:", "local"));
        assertEquals(HoistException.USAGE, bad.exitStatus());
        assertTrue(bad.getMessage().contains("invalid reference \"oci:\""), bad::getMessage);
    }

    @Test
    void imageNamesWithAColonAreNotTransports() {
        for (String name : List.of("app:1", "localhost:5000/app:1", "example.com/team/app:2", "app")) {
            assertEquals(Optional.empty(), Transports.parseExplicit(name), name);
            assertTrue(Transports.parse(name, "local") instanceof hoist.engine.transport.local.LocalReference, name);
        }
        HoistException none = assertThrows(HoistException.class, () -> Transports.parse("app:1"));
        assertTrue(none.getMessage().contains("names no transport"), none::getMessage);
    }
}
