package hoist.shell;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Keeps {@code docs/reliability.md} true: every row {@code | scenario | result | TestClass#method |}
 * names a test method that exists in the test sources of some module of the reactor.
 */
class ReliabilityTableTest {

    private static final Path ROOT = Path.of(System.getProperty("user.dir")).getParent();
    private static final Pattern TEST_NAME = Pattern.compile("`?([A-Za-z_][\\w.]*)#([A-Za-z_]\\w*)`?");
    private static final List<String> TEST_ANNOTATIONS = List.of("@Test", "@ParameterizedTest", "@RepeatedTest",
            "@TestFactory", "@TestTemplate", "@FuzzTest");

    @Test
    void everyRowNamesATestThatExists() throws IOException {
        List<String> lines = Files.readAllLines(ROOT.resolve("docs/reliability.md"));
        Map<String, String> sources = testSources();
        assertTrue(sources.containsKey("ReliabilityTableTest"), "the test source trees were found under " + ROOT);
        List<String> problems = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String problem = check(lines.get(i), sources);
            if (problem != null) {
                problems.add("docs/reliability.md:" + (i + 1) + ": " + problem);
            }
        }
        assertEquals(List.of(), problems);
    }

    @Test
    void aRowNamingAMissingClassOrMethodOrAMalformedRowIsReported() throws IOException {
        Map<String, String> sources = testSources();
        assertEquals(null, check("| a row | works | ReliabilityTableTest#everyRowNamesATestThatExists |", sources));
        assertEquals(null, check("| scenario | result | test |", sources));
        assertEquals(null, check("|---|---|---|", sources));
        assertEquals(null, check("Some prose | with a bar.", sources));
        assertTrue(check("| a row | works | NoSuchTestAnywhere#method |", sources).contains("no test class NoSuchTestAnywhere"));
        assertTrue(check("| a row | works | ReliabilityTableTest#noSuchMethod |", sources).contains("no test method noSuchMethod"));
        assertTrue(check("| a row | works | ReliabilityTableTest#check |", sources).contains("no test method check"),
                "a helper that is not a test does not count");
        assertTrue(check("| a row | works |", sources).contains("three cells"));
        assertTrue(check("| a row | works | a sentence, not a test |", sources).contains("TestClass#method"));
    }

    private static boolean isRow(String line) {
        String trimmed = line.strip();
        return trimmed.startsWith("|") && !trimmed.matches("\\|[\\s|:-]*") && !cells(trimmed).equals(List.of("scenario", "result", "test"));
    }

    /** Null when {@code line} is not a table row or names a test that exists; otherwise what is wrong with it. */
    private static String check(String line, Map<String, String> sources) {
        if (!isRow(line)) {
            return null;
        }
        List<String> cells = cells(line.strip());
        if (cells.size() != 3) {
            return "a row has three cells (scenario, result, test), this one has " + cells.size() + ": " + line;
        }
        Matcher name = TEST_NAME.matcher(cells.get(2));
        if (!name.matches()) {
            return "the third cell is not TestClass#method: " + cells.get(2);
        }
        String className = name.group(1).substring(name.group(1).lastIndexOf('.') + 1);
        String source = sources.get(className);
        if (source == null) {
            return "no test class " + className + " in any module's src/test/java";
        }
        if (!declaresTest(source, name.group(2))) {
            return "no test method " + name.group(2) + " in " + className;
        }
        return null;
    }

    private static List<String> cells(String row) {
        String inner = row.substring(1, row.endsWith("|") && row.length() > 1 ? row.length() - 1 : row.length());
        List<String> cells = new ArrayList<>();
        for (String cell : inner.split("(?<!\\\\)\\|", -1)) {
            cells.add(cell.strip());
        }
        return cells;
    }

    /** Whether {@code source} declares a method {@code method} carrying one of JUnit's (or Jazzer's) test annotations. */
    private static boolean declaresTest(String source, String method) {
        Matcher declaration = Pattern.compile("(?m)^[ \\t]*(?:[\\w<>\\[\\],? ]+\\s)?void\\s+" + Pattern.quote(method) + "\\s*\\(")
                .matcher(source);
        while (declaration.find()) {
            String before = source.substring(0, declaration.start());
            int start = Math.max(Math.max(before.lastIndexOf(";\n"), before.lastIndexOf("}\n")), before.lastIndexOf("{\n"));
            String preamble = before.substring(Math.max(start, 0)) + source.substring(declaration.start(), declaration.end());
            for (String annotation : TEST_ANNOTATIONS) {
                if (Pattern.compile(Pattern.quote(annotation) + "\\b").matcher(preamble).find()) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Simple class name -> source text, for every top-level and nested class of every module's test sources. */
    private static Map<String, String> testSources() throws IOException {
        Map<String, String> sources = new TreeMap<>();
        try (Stream<Path> modules = Files.list(ROOT)) {
            for (Path module : modules.toList()) {
                Path tests = module.resolve("src/test/java");
                if (!Files.isDirectory(tests)) {
                    continue;
                }
                try (Stream<Path> files = Files.walk(tests)) {
                    files.filter(f -> f.toString().endsWith(".java")).forEach(f -> {
                        try {
                            String text = Files.readString(f);
                            Matcher nested = Pattern.compile(
                                    "(?m)^[ \\t]*(?:(?:public|protected|private|static|final|abstract|sealed|non-sealed)\\s+)*"
                                            + "(?:class|record|interface|enum)\\s+(\\w+)").matcher(text);
                            while (nested.find()) {
                                sources.merge(nested.group(1), text, (a, b) -> a + "\n" + b);
                            }
                            String file = f.getFileName().toString();
                            sources.merge(file.substring(0, file.length() - 5), text, (a, b) -> a.equals(b) ? a : a + "\n" + b);
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    });
                }
            }
        }
        return sources;
    }
}
