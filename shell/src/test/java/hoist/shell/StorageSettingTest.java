package hoist.shell;

import com.fasterxml.jackson.databind.JsonNode;
import hoist.engine.image.Json;
import hoist.engine.testing.Buildah;
import hoist.engine.testing.Command;
import hoist.engine.testing.Registry;
import hoist.engine.testing.Skopeo;
import hoist.engine.testing.TestImages;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * With containers-storage as the default store ({@code HOIST_STORAGE}, {@code --storage}, or
 * {@code storage} in hoist.conf), bare image names are buildah's images: {@code images}, {@code tag},
 * {@code rmi}, {@code inspect}, {@code pull} and {@code push} (destination omitted included) work on
 * buildah's store as buildah's own commands do. hoist runs as a process of its own here, since the
 * store is found through the environment ({@code CONTAINERS_STORAGE_CONF}), as podman finds it.
 */
class StorageSettingTest {

    private static Registry registry;
    private static Path dir;
    private static Buildah buildah;
    private static Path storageConf;

    @BeforeAll
    static void buildImage() throws IOException {
        registry = Registry.start();
        dir = Files.createTempDirectory("hoist-storage-setting-");
        buildah = new Buildah(dir, "vfs");
        buildah.commit("scratch", "localhost/app:1", rootfs -> Files.writeString(rootfs.resolve("hello"), "hello\n"));
        storageConf = Files.writeString(dir.resolve("storage.conf"), "[storage]\ndriver = \"vfs\"\ngraphroot = \""
                + buildah.root() + "\"\nrunroot = \"" + buildah.runRoot() + "\"\n");
    }

    @AfterAll
    static void stop() {
        registry.close();
        Command.exec(List.of("rm", "-rf", dir.toString()), Map.of());
    }

    /** hoist as a process with {@code env}, its own store in the temp dir. */
    private static Command.Result hoist(Map<String, String> env, String... args) {
        Map<String, String> all = new HashMap<>(env);
        all.put("CONTAINERS_STORAGE_CONF", storageConf.toString());
        all.put("HOIST_CONFIG", dir.resolve("no-such-hoist.conf").toString());
        return Command.exec(javaMain(args), all);
    }

    private static Command.Result ok(Command.Result run) {
        assertEquals(0, run.status(), () -> "status " + run.status() + "\n" + run.out() + run.err());
        return run;
    }

    private static final Map<String, String> CONTAINERS_STORAGE = Map.of("HOIST_STORAGE", "containers-storage");

    @Test
    void bareNamesAreBuildahsImagesWhenHoistStorageSaysSo() throws IOException {
        String images = ok(hoist(CONTAINERS_STORAGE, "images")).out();
        assertTrue(images.contains("localhost/app ") && images.contains(" 1 "), images);

        String target = registry.host() + "/setting/app:1";
        ok(hoist(CONTAINERS_STORAGE, "tag", "localhost/app:1", target));
        assertTrue(buildah.run("images", "--format", "{{.Name}}:{{.Tag}}").contains(target), "buildah sees the new name");

        // destination omitted: the name typed, on docker://, as buildah push does
        ok(hoist(CONTAINERS_STORAGE, "push", "-q", "--tls-verify=false", target));
        JsonNode config = Json.read(Command.run("skopeo", "inspect", "--tls-verify=false", "--config", "--raw",
                "docker://" + target).getBytes(StandardCharsets.UTF_8));
        assertEquals(buildah.diffIds("localhost/app:1"), diffIds(config), "the pushed layers are buildah's");

        String inspected = ok(hoist(CONTAINERS_STORAGE, "inspect", "localhost/app:1")).out();
        assertTrue(inspected.contains(buildah.diffIds("localhost/app:1").get(0)), inspected);

        String removed = ok(hoist(CONTAINERS_STORAGE, "rmi", target)).out();
        assertTrue(removed.contains("Untagged: " + target), removed);
        assertFalse(buildah.run("images", "--format", "{{.Name}}:{{.Tag}}").contains(target), "the name is gone");
        assertTrue(buildah.run("images", "--format", "{{.Name}}:{{.Tag}}").contains("localhost/app:1"), "the image stays");
    }

    @Test
    void pullWritesIntoContainersStorageThatBuildahThenLists() {
        String source = TestImages.multiLayer();
        ok(hoist(CONTAINERS_STORAGE, "pull", "-q", source));
        String listed = buildah.run("images", "--format", "{{.Name}}:{{.Tag}}");
        assertTrue(listed.contains("localhost/multi:latest"), listed);
        assertEquals(Skopeo.config(source).path("rootfs").path("diff_ids").toString(),
                Skopeo.config("containers-storage:" + buildah.store() + "localhost/multi:latest")
                        .path("rootfs").path("diff_ids").toString());
        ok(hoist(CONTAINERS_STORAGE, "rmi", "localhost/multi:latest"));
        assertFalse(buildah.run("images", "--format", "{{.Name}}:{{.Tag}}").contains("localhost/multi"));
    }

    @Test
    void theGlobalOptionAndTheSettingsFileChooseTheStoreToo() throws IOException {
        assertTrue(ok(hoist(Map.of(), "--storage", "containers-storage", "images")).out().contains("localhost/app "));
        Path conf = Files.writeString(dir.resolve("hoist.conf"), "storage = \"containers-storage\"\n");
        Command.Result viaFile = Command.exec(javaMain("images"), Map.of("CONTAINERS_STORAGE_CONF", storageConf.toString(),
                "HOIST_CONFIG", conf.toString()));
        assertEquals(0, viaFile.status(), viaFile.err());
        assertTrue(viaFile.out().contains("localhost/app "), viaFile.out());
        // without any of them: hoist's own store, which has no such image
        assertFalse(ok(hoist(Map.of(), "images")).out().contains("localhost/app "));
    }

    @Test
    void anUnknownStorageIsAUsageError() {
        Command.Result run = hoist(Map.of(), "--storage", "podman", "images");
        assertEquals(2, run.status());
        assertEquals("Error: --storage: storage \"podman\" is not one of local, containers-storage", run.err().strip());
        Command.Result env = hoist(Map.of("HOIST_STORAGE", "docker"), "images");
        assertEquals(2, env.status());
        assertTrue(env.err().strip().startsWith("Error: HOIST_STORAGE: storage \"docker\""), env.err());
    }

    private static List<String> javaMain(String... args) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName(), "--root", dir.resolve("hoist").toString()));
        command.addAll(List.of(args));
        return command;
    }

    private static List<String> diffIds(JsonNode config) {
        List<String> ids = new ArrayList<>();
        config.path("rootfs").path("diff_ids").forEach(d -> ids.add(d.asText()));
        return ids;
    }
}
