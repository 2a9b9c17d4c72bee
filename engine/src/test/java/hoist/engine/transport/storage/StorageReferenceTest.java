package hoist.engine.transport.storage;

import hoist.engine.HoistException;
import hoist.engine.transport.Transports;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StorageReferenceTest {

    private static final String ID = "003bce807850a0d196769b6908847cfacabc30783b0100bc371b14b4c02a8f8b";

    private static StorageReference parse(String text) {
        return (StorageReference) Transports.parse(text);
    }

    @Test
    void storePartGivesDriverRootsAndOptions() {
        StorageReference ref = parse("containers-storage:[vfs@/var/g+/run/r:vfs.ignore_chown_errors=true]localhost/app:1");
        assertEquals("vfs", ref.store().driver());
        assertEquals("/var/g", ref.store().graphRoot());
        assertEquals("/run/r", ref.store().runRoot());
        assertEquals(List.of("vfs.ignore_chown_errors=true"), ref.store().options());
        assertEquals("localhost/app:1", ref.name().toString());
        StoreOptions options = ref.storeOptions();
        assertEquals(Path.of("/var/g"), options.graphRoot());
        assertEquals("containers-storage:[vfs@/var/g+/run/r:vfs.ignore_chown_errors=true]localhost/app:1", ref.text());
        assertEquals(ref, parse(ref.text()));
    }

    @Test
    void imageFormsAsSkopeoAcceptsThem() {
        assertEquals("docker.io/library/alpine:latest", parse("containers-storage:alpine").candidateNames().get(0));
        assertEquals("localhost/alpine:latest", parse("containers-storage:alpine").candidateNames().get(1));
        StorageReference byId = parse("containers-storage:" + ID);
        assertEquals(ID, byId.id());
        assertNull(byId.name());
        assertEquals(ID, parse("containers-storage:sha256:" + ID).id());
        StorageReference nameAndId = parse("containers-storage:localhost/app@" + ID);
        assertEquals(ID, nameAndId.id());
        assertEquals("localhost/app", nameAndId.name().name());
        StorageReference byDigest = parse("containers-storage:localhost/app@sha256:" + ID);
        assertEquals("sha256:" + ID, byDigest.name().digest().toString());
        assertTrue(parse("containers-storage:003bce80").isIdPrefix() || parse("containers-storage:003bce80").name() != null);
        assertTrue(parse("containers-storage:[/var/g]app").store().driver().isEmpty());
    }

    @Test
    void badReferencesAreUsageErrors() {
        for (String bad : List.of("containers-storage:", "containers-storage:[vfs@/g+/r", "containers-storage:[zfs@/g]app",
                "containers-storage:[relative/root]app", "containers-storage:UPPER/Case")) {
            HoistException e = assertThrows(HoistException.class, () -> parse(bad), bad);
            assertEquals(HoistException.USAGE, e.exitStatus(), bad);
        }
    }
}
