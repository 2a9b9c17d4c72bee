package hoist.shell;

import hoist.engine.testing.Buildah;
import hoist.engine.testing.Command;
import hoist.engine.testing.DockerDaemon;
import hoist.engine.testing.Registry;
import hoist.engine.testing.Skopeo;
import hoist.engine.testing.TestImages;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every {@code ./hoist ...} line of README.md's code blocks, and its Groovy script, run as
 * written against a real registry. The README's example hosts and paths are mapped to the
 * test's by a registries.conf (hosts) and the small table in {@link #substitutions()} (paths,
 * secrets, a digest); nothing else of a line is changed. Lines that read podman's and buildah's
 * store or the Docker daemon run as a hoist process of their own, which finds a buildah store of
 * the test's and a dockerd of the test's through the environment, as a user's hoist finds theirs.
 */
class ReadmeExamplesTest {

    private static final Pattern BLOCK = Pattern.compile("```(sh|groovy)\\n(.*?)```", Pattern.DOTALL);

    @TempDir
    static Path temp;

    private static Registry registry;
    private static DockerDaemon daemon;

    @BeforeAll
    static void startRegistry() {
        registry = Registry.start();
        daemon = DockerDaemon.start();
    }

    @AfterAll
    static void stopRegistry() {
        registry.close();
        daemon.close();
    }

    /** README text -> test value, for every example (the first key that matches at a place wins). */
    private static Map<String, String> substitutions() throws IOException {
        Path secret = temp.resolve("pw");
        Files.writeString(secret, "not-checked-by-an-open-registry\n");
        Map<String, String> table = new LinkedHashMap<>();
        table.put("/run/secrets/pw", secret.toString());
        table.put("/tmp/", temp.resolve("tmp") + "/");
        table.put("registry.example.com", registry.host()); // login names it without a transport
        table.put("sha256:...", Skopeo.manifestDigest("oci:" + temp.resolve("tmp/amd64") + ":app").toString());
        table.put(" login ", " login --tls-verify=false --authfile " + temp.resolve("auth.json") + " ");
        return table;
    }

    /** The other example hosts are repositories of the test registry, by registries.conf. */
    private static Path registriesConf() throws IOException {
        StringBuilder conf = new StringBuilder("[[registry]]\nlocation = \"" + registry.host() + "\"\ninsecure = true\n");
        for (String[] host : new String[][] {{"a.example", "a"}, {"b.example", "b"}, {"mirror.example.com", "mirror"},
                {"localhost:5000", "a"}}) {
            conf.append("[[registry]]\nprefix = \"").append(host[0]).append("\"\nlocation = \"").append(registry.host())
                    .append('/').append(host[1]).append("\"\ninsecure = true\n");
        }
        Path file = temp.resolve("registries.conf");
        Files.writeString(file, conf);
        return file;
    }

    /**
     * What the examples read: the layouts they name, an arm64 image in the registry, an RSA key
     * pair, and {@code localhost/app:1} built by buildah in a store of the test's.
     */
    private static void fixtures() throws IOException {
        Buildah buildah = new Buildah(temp.resolve("containers"), "vfs");
        buildah.commit("scratch", "localhost/app:1", rootfs -> Files.writeString(rootfs.resolve("hello"), "hello\n"));
        Files.writeString(temp.resolve("storage.conf"), "[storage]\ndriver = \"vfs\"\ngraphroot = \"" + buildah.root()
                + "\"\nrunroot = \"" + buildah.runRoot() + "\"\n");
        Path tmp = Files.createDirectories(temp.resolve("tmp"));
        Skopeo.copy(TestImages.multiLayer(), "oci:" + tmp.resolve("layout") + ":app");
        Skopeo.copy(TestImages.multiLayer(), "oci:" + tmp.resolve("amd64") + ":app");
        Skopeo.copy("--multi-arch", "all", TestImages.multiPlatform(), "oci:" + tmp.resolve("multi") + ":list");
        Skopeo.copy("--override-arch", "arm64", "--dest-tls-verify=false", TestImages.multiPlatform(),
                "docker://" + registry.host() + "/app:arm64");
        // the encryption examples' key pair
        hoist.engine.testing.Command.run("openssl", "genrsa", "-out", tmp.resolve("key.pem").toString(), "2048");
        hoist.engine.testing.Command.run("openssl", "rsa", "-in", tmp.resolve("key.pem").toString(), "-pubout",
                "-out", tmp.resolve("pub.pem").toString());
        // the sif: and ostree: examples' SIF file (a squashfs by mksquashfs in the tests' SIF writer) and OSTree repository
        Path sifRoot = Files.createDirectories(temp.resolve("sif-root/etc"));
        Files.writeString(sifRoot.resolve("hello"), "hello\n");
        Command.run("mksquashfs", sifRoot.getParent().toString(), temp.resolve("sif-root.sqfs").toString(), "-quiet", "-no-progress");
        new hoist.engine.testing.SifWriter(hoist.engine.testing.SifWriter.ARCH_AMD64, java.util.UUID.randomUUID(), 1_700_000_000L)
                .partition(temp.resolve("sif-root.sqfs"), hoist.engine.testing.SifWriter.FS_SQUASH,
                        hoist.engine.testing.SifWriter.PART_PRIMSYS).write(tmp.resolve("app.sif"));
        Command.run("ostree", "init", "--repo=" + tmp.resolve("ostree-repo"), "--mode=bare");
    }

    private static List<String> blocks(String readme, String language) {
        List<String> found = new ArrayList<>();
        Matcher m = BLOCK.matcher(readme);
        while (m.find()) {
            if (m.group(1).equals(language)) {
                found.add(m.group(2));
            }
        }
        return found;
    }

    /** Replaces each key of {@code table} in one pass (a value is never substituted again). */
    private static String substitute(String text, Map<String, String> table) {
        Pattern keys = Pattern.compile(String.join("|", table.keySet().stream().map(Pattern::quote).toList()));
        return keys.matcher(text).replaceAll(m -> Matcher.quoteReplacement(table.get(m.group())));
    }

    @Test
    void everyReadmeExampleRunsAsWritten() throws IOException {
        String readme = Files.readString(Path.of(System.getProperty("user.dir")).getParent().resolve("README.md"));
        fixtures();
        Map<String, String> table = substitutions();
        Path conf = registriesConf();
        Cli cli = new Cli(temp.resolve("store"));
        int commands = 0;
        for (String block : blocks(readme, "sh")) {
            for (String line : block.split("\n")) {
                if (!line.startsWith("./hoist ")) {
                    continue; // ./hoist alone opens the shell; ./test runs this suite
                }
                for (List<String> words : ShellWords.commands(substitute(line, table))) {
                    Cli.Run run = line.contains("containers-storage") || line.contains("docker-daemon")
                            ? runInEnvironment(conf, words) : runWithStdin(cli, conf, words);
                    assertEquals(0, run.status(), () -> line + "\n" + run);
                    commands++;
                }
            }
        }
        assertTrue(commands >= 20, "the README's examples were found: " + commands);

        List<String> scripts = blocks(readme, "groovy");
        assertEquals(1, scripts.size(), "the README's script");
        Path script = temp.resolve("example.groovy");
        Files.writeString(script, substitute(scripts.get(0), table));
        Cli.Run run = cli.run("--registries-conf", conf.toString(), "run", script.toString(), "localhost/app:latest");
        assertEquals(0, run.status(), run::toString);
        assertTrue(run.out().lines().anyMatch(l -> l.matches("sha256:[0-9a-f]{64}")), run::toString);
    }

    /** Runs one command, its standard input from the file a {@code <} named (login --password-stdin). */
    private static Cli.Run runWithStdin(Cli cli, Path conf, List<String> words) throws IOException {
        List<String> args = new ArrayList<>(List.of("--registries-conf", conf.toString()));
        String input = null;
        for (int i = 0; i < words.size(); i++) {
            if (words.get(i).equals("<")) {
                input = words.get(++i);
            } else {
                args.add(words.get(i));
            }
        }
        InputStream stdin = System.in;
        try {
            System.setIn(input == null ? new ByteArrayInputStream(new byte[0]) : Files.newInputStream(Path.of(input)));
            return cli.run(args.toArray(String[]::new));
        } finally {
            System.setIn(stdin);
        }
    }

    /** Runs one command as a hoist process whose environment names the test's buildah store and dockerd. */
    private static Cli.Run runInEnvironment(Path conf, List<String> words) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "--root", temp.resolve("store").toString(), "--registries-conf", conf.toString()));
        command.addAll(words);
        Command.Result result = Command.exec(command, Map.of("CONTAINERS_STORAGE_CONF", temp.resolve("storage.conf").toString(),
                "DOCKER_HOST", daemon.host(), "HOIST_CONFIG", temp.resolve("no-hoist.conf").toString()));
        return new Cli.Run(result.status(), result.out(), result.err());
    }

    /** The words of a README command line: quotes, {@code #} comments, {@code &&} between commands. */
    static final class ShellWords {
        private ShellWords() {
        }

        /** Each command of {@code line} as its words, {@code ./hoist} left out. */
        static List<List<String>> commands(String line) {
            List<List<String>> commands = new ArrayList<>();
            List<String> current = new ArrayList<>();
            StringBuilder word = null;
            char quote = 0;
            for (int i = 0; i < line.length(); i++) {
                char c = line.charAt(i);
                if (quote != 0) {
                    if (c == quote) {
                        quote = 0;
                    } else {
                        word.append(c);
                    }
                } else if (c == '\'' || c == '"') {
                    quote = c;
                    word = word == null ? new StringBuilder() : word;
                } else if (c == '#' && word == null) {
                    break;
                } else if (Character.isWhitespace(c)) {
                    if (word != null) {
                        add(word.toString(), current, commands);
                        word = null;
                    }
                } else {
                    word = word == null ? new StringBuilder() : word;
                    word.append(c);
                }
            }
            if (word != null) {
                add(word.toString(), current, commands);
            }
            if (!current.isEmpty()) {
                commands.add(List.copyOf(current));
            }
            return commands;
        }

        private static void add(String word, List<String> current, List<List<String>> commands) {
            if (word.equals("&&")) {
                commands.add(List.copyOf(current));
                current.clear();
            } else if (!(current.isEmpty() && word.equals("./hoist"))) {
                current.add(word);
            }
        }
    }
}
