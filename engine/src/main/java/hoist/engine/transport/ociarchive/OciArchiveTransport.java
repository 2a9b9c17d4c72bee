package hoist.engine.transport.ociarchive;

import hoist.engine.HoistException;
import hoist.engine.archive.TarIndex;
import hoist.engine.transport.ImageDestination;
import hoist.engine.transport.ImageReference;
import hoist.engine.transport.ImageSource;
import hoist.engine.transport.Transport;
import hoist.engine.transport.TransportContext;
import hoist.engine.transport.oci.OciReference;
import hoist.engine.transport.oci.OciSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** {@code oci-archive:PATH[:REF]}. */
public final class OciArchiveTransport implements Transport {

    @Override
    public String name() {
        return "oci-archive";
    }

    @Override
    public ImageReference parse(String details) {
        OciReference layout = OciReference.parse(this, details);
        return new OciArchiveReference(this, layout.path(), layout.ref());
    }

    /** The archive's path and REF; same syntax as {@code oci:}. */
    record OciArchiveReference(Transport transport, Path path, String ref) implements ImageReference {

        @Override
        public String details() {
            return path + (ref.isEmpty() ? "" : ":" + ref);
        }

        @Override
        public ImageSource openSource(TransportContext context) throws IOException {
            if (!Files.isRegularFile(path)) {
                throw new HoistException(text() + ": " + path + ": no such file");
            }
            return OciSource.open(this, new TarFiles(TarIndex.read(path)), ref, () -> { });
        }

        @Override
        public ImageDestination openDestination(TransportContext context) throws IOException {
            return new OciArchiveDestination(this, path, ref, context.tempDir());
        }

        @Override
        public String toString() {
            return text();
        }
    }
}
