package hoist.dsl.format;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import hoist.engine.HoistException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GoTemplateTest {

    private static final JsonNode DATA = json("""
            {"Name":"example.com/app","Digest":"sha256:abc","RepoTags":["1","2"],"Labels":{"b":"2","a":"1"},
             "Env":null,"Architecture":"amd64","Layers":["sha256:l1","sha256:l2"],"Size":42,
             "LayersData":[{"Digest":"sha256:l1","Size":10},{"Digest":"sha256:l2","Size":20}]}
            """);

    private static JsonNode json(String text) {
        try {
            return new ObjectMapper().readTree(text);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static String render(String template) {
        return GoTemplate.parse(template).render(DATA);
    }

    @Test
    void fieldsPrintAsGoPrintsThem() {
        assertEquals("example.com/app sha256:abc amd64 42", render("{{.Name}} {{.Digest}} {{.Architecture}} {{.Size}}"));
        assertEquals("[1 2] map[a:1 b:2] <nil>", render("{{.RepoTags}} {{.Labels}} {{.Env}}"));
        assertEquals("sha256:l1", render("{{index .Layers 0}}"));
        assertEquals("1 <no value>", render("{{index .Labels \"a\"}} {{index .Labels \"zz\"}}"));
    }

    @Test
    void rangeIfAndTrimMarkers() {
        assertEquals("sha256:l1\nsha256:l2\n", render("{{range .Layers}}{{.}}\n{{end}}"));
        assertEquals("10,20,", render("{{range .LayersData}}{{.Size}},{{end}}"));
        assertEquals("none", render("{{range .Env}}x{{else}}none{{end}}"));
        assertEquals("labelled", render("{{if .Labels}}labelled{{else}}bare{{end}}"));
        assertEquals("bare", render("{{if .Env}}set{{else}}bare{{end}}"));
        assertEquals("1|2|", render("{{range .RepoTags -}}\n   {{.}}|\n{{- end}}"));
    }

    @Test
    void functionsAndPipes() {
        assertEquals("{\"b\":\"2\",\"a\":\"1\"}", render("{{json .Labels}}"));
        assertEquals("[\"1\",\"2\"]", render("{{.RepoTags | json}}"));
        assertEquals("1, 2", render("{{join .RepoTags \", \"}}"));
        assertEquals("2 AMD64", render("{{len .Layers}} {{upper .Architecture}}"));
        assertEquals(DATA, json(render("{{json .}}")));
    }

    @Test
    void mistakesAreUsageErrorsThatSayWhat() {
        HoistException unknown = assertThrows(HoistException.class, () -> render("{{.Nme}}"));
        assertEquals(HoistException.USAGE, unknown.exitStatus());
        assertTrue(unknown.getMessage().contains("can't evaluate field Nme"), unknown::getMessage);
        assertThrows(HoistException.class, () -> GoTemplate.parse("{{range .Layers}}x"));
        assertThrows(HoistException.class, () -> GoTemplate.parse("{{.Name"));
        assertThrows(HoistException.class, () -> GoTemplate.parse("{{end}}"));
        assertThrows(HoistException.class, () -> GoTemplate.parse("{{with .Name}}x{{end}}"));
        assertThrows(HoistException.class, () -> render("{{nosuch .Name}}"));
    }
}
