package hoist.engine.config;

import hoist.engine.HoistException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HoistConfTest {

    @Test
    void readsStorageAndRoot(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("hoist.conf"), "storage = \"containers-storage\"\nroot = \"/srv/store\"\n");
        HoistConf conf = HoistConf.read(file);
        assertEquals("containers-storage", conf.storage());
        assertEquals(Path.of("/srv/store"), conf.root());
    }

    @Test
    void aMissingFileMeansEveryDefault(@TempDir Path dir) {
        HoistConf conf = HoistConf.read(dir.resolve("absent.conf"));
        assertNull(conf.storage());
        assertNull(conf.root());
    }

    @Test
    void anUnknownStorageIsAUsageErrorNamingTheFile(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("hoist.conf"), "storage = \"podman\"\n");
        HoistException e = assertThrows(HoistException.class, () -> HoistConf.read(file));
        assertTrue(e.getMessage().contains(file.toString()) && e.getMessage().contains("\"podman\""), e.getMessage());
        assertEquals(2, e.exitStatus());
    }

    @Test
    void badTomlIsAUsageErrorNamingTheFile(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("hoist.conf"), "storage = \n");
        HoistException e = assertThrows(HoistException.class, () -> HoistConf.read(file));
        assertTrue(e.getMessage().startsWith(file + " is not valid TOML"), e.getMessage());
    }

    @Test
    void locationFollowsHoistConfigThenXdgConfigHome() {
        assertEquals(Path.of("/x/h.conf"), HoistConf.location(Map.of("HOIST_CONFIG", "/x/h.conf", "XDG_CONFIG_HOME", "/c")).orElseThrow());
        assertEquals(Path.of("/c/hoist/hoist.conf"), HoistConf.location(Map.of("XDG_CONFIG_HOME", "/c")).orElseThrow());
    }
}
