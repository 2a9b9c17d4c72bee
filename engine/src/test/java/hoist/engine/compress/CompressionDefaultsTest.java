package hoist.engine.compress;

import hoist.engine.HoistException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CompressionDefaultsTest {

    @TempDir
    Path temp;

    @Test
    void theUsersFileAndItsDropInsOverrideKeyByKey() throws IOException {
        Path xdg = temp.resolve("xdg");
        Files.createDirectories(xdg.resolve("containers/containers.conf.d"));
        Files.writeString(xdg.resolve("containers/containers.conf"),
                "[engine]\ncompression_format = \"zstd\"\ncompression_level = 7\n[containers]\nlog_size_max = -1\n");
        Files.writeString(xdg.resolve("containers/containers.conf.d/10-add.conf"), "[engine]\nadd_compression = [\"zstd\", \"gzip\"]\n");
        Files.writeString(xdg.resolve("containers/containers.conf.d/20-level.conf"), "[engine]\ncompression_level = 2\n");
        Files.writeString(xdg.resolve("containers/containers.conf.d/ignored.txt"), "[engine]\ncompression_level = 9\n");
        CompressionDefaults defaults = CompressionDefaults.load(Map.of("XDG_CONFIG_HOME", xdg.toString()), temp.resolve("home"));
        assertEquals(new CompressionDefaults(Compression.ZSTD, 2, List.of(Compression.ZSTD, Compression.GZIP)), defaults);
    }

    @Test
    void containersConfAloneThenTheOverride() throws IOException {
        Path only = Files.writeString(temp.resolve("only.conf"), "[engine]\ncompression_format = \"gzip\"\n");
        Path override = Files.writeString(temp.resolve("override.conf"), "[engine]\nadd_compression = [\"zstd\"]\n");
        Path xdg = temp.resolve("xdg");
        Files.createDirectories(xdg.resolve("containers"));
        Files.writeString(xdg.resolve("containers/containers.conf"), "[engine]\ncompression_level = 9\n");
        CompressionDefaults defaults = CompressionDefaults.load(Map.of("CONTAINERS_CONF", only.toString(),
                "CONTAINERS_CONF_OVERRIDE", override.toString(), "XDG_CONFIG_HOME", xdg.toString()), temp);
        assertEquals(new CompressionDefaults(Compression.GZIP, null, List.of(Compression.ZSTD)), defaults);
    }

    @Test
    void badValuesNameTheFile() throws IOException {
        Path conf = Files.writeString(temp.resolve("bad.conf"), "[engine]\nadd_compression = \"zstd\"\n");
        HoistException e = assertThrows(HoistException.class,
                () -> CompressionDefaults.load(Map.of("CONTAINERS_CONF", conf.toString()), temp));
        assertTrue(e.getMessage().startsWith(conf + ": [engine] add_compression must be a list"), e.getMessage());
        Files.writeString(conf, "[engine]\ncompression_format = \"brotli\"\n");
        e = assertThrows(HoistException.class, () -> CompressionDefaults.load(Map.of("CONTAINERS_CONF", conf.toString()), temp));
        assertTrue(e.getMessage().contains("brotli"), e.getMessage());
        assertThrows(HoistException.class,
                () -> CompressionDefaults.load(Map.of("CONTAINERS_CONF", temp.resolve("missing.conf").toString()), temp));
    }
}
