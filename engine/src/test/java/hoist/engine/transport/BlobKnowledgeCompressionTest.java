package hoist.engine.transport;

import hoist.engine.image.Digest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

class BlobKnowledgeCompressionTest {

    @TempDir
    Path temp;

    @Test
    void compressedFormsAreRememberedPerCompressionAndLevelAcrossRuns() throws IOException {
        Digest plain = Digest.sha256("plain");
        Digest gzip = Digest.sha256("gzip");
        Digest gzip9 = Digest.sha256("gzip9");
        Path file = temp.resolve("knowledge.json");
        BlobKnowledge first = new BlobKnowledge(file);
        first.compressed(plain, "gzip", null, new BlobKnowledge.CompressedBlob(gzip, 10));
        first.seen(plain, "example.com/app");
        first.save();
        BlobKnowledge other = new BlobKnowledge(file);
        other.compressed(plain, "gzip", 9, new BlobKnowledge.CompressedBlob(gzip9, 9));
        other.save();

        BlobKnowledge later = new BlobKnowledge(file);
        assertEquals(Optional.of(new BlobKnowledge.CompressedBlob(gzip, 10)), later.compressedFor(plain, "gzip", null));
        assertEquals(Optional.of(new BlobKnowledge.CompressedBlob(gzip9, 9)), later.compressedFor(plain, "gzip", 9));
        assertEquals(Optional.empty(), later.compressedFor(plain, "zstd", null));
        assertEquals(java.util.List.of("example.com/app"), later.locations(plain));
    }
}
