package hoist.engine.transport.registry;

import hoist.engine.copy.CopyOptions;
import hoist.engine.copy.Copier;
import hoist.engine.copy.ProgressListener;
import hoist.engine.testing.Registry;
import hoist.engine.testing.TestImages;
import hoist.engine.transport.DockerReference;
import hoist.engine.transport.RegistryOptions;
import hoist.engine.transport.TransportContext;
import hoist.engine.transport.Transports;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class RegistryClientTest {

    @TempDir
    Path temp;

    @Test
    void tagListsFollowLinkPagination() throws Exception {
        try (Registry registry = Registry.start()) {
            TransportContext context = TransportContext.defaults().withStoreRoot(temp.resolve("store"))
                    .withRegistry(RegistryOptions.defaults().withTlsVerify(false));
            Copier copier = new Copier(context, ProgressListener.NONE);
            for (String tag : List.of("a", "b", "c", "d", "e")) {
                copier.copy(Transports.parse(TestImages.multiLayer()),
                        List.of(Transports.parse(registry.ref("paged/app:" + tag))), CopyOptions.defaults());
            }
            RegistryClient client = RegistryClient.open("test", DockerReference.parse(registry.host() + "/paged/app"),
                    context.registry(), false);
            assertEquals(List.of("a", "b", "c", "d", "e"), client.tags(2).stream().sorted().toList());
            assertEquals(List.of("a", "b", "c", "d", "e"), client.tags().stream().sorted().toList());
        }
    }

    @Test
    void receivedBytesReadsTheUploadRange() {
        assertEquals(0, BlobUpload.receivedBytes(""));
        assertEquals(0, BlobUpload.receivedBytes("0-0"));
        assertEquals(1024, BlobUpload.receivedBytes("0-1023"));
        assertEquals(1024, BlobUpload.receivedBytes("bytes=0-1023"));
    }
}
