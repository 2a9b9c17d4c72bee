package hoist.engine.transport.oci;

import hoist.engine.HoistException;
import hoist.engine.transport.ReferencePaths;
import hoist.engine.transport.ImageDestination;
import hoist.engine.transport.ImageReference;
import hoist.engine.transport.ImageSource;
import hoist.engine.transport.Transport;
import hoist.engine.transport.TransportContext;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * {@code PATH[:REF]} of an OCI layout or archive: the path ends at the first colon, as skopeo
 * reads it; REF names an entry of index.json and may be empty.
 */
public record OciReference(Transport transport, Path path, String ref) implements ImageReference {

    private static final Pattern REF = Pattern.compile("[A-Za-z0-9._-]+(?:[:/@+][A-Za-z0-9._-]+)*");

    public static OciReference parse(Transport transport, String details) {
        int colon = details.indexOf(':');
        String path = colon < 0 ? details : details.substring(0, colon);
        String ref = colon < 0 ? "" : details.substring(colon + 1);
        if (path.isEmpty()) {
            throw HoistException.usage("invalid reference \"" + transport.name() + ":" + details + "\": no path");
        }
        if (!ref.isEmpty() && !REF.matcher(ref).matches()) {
            throw HoistException.usage("invalid reference \"" + transport.name() + ":" + details + "\": bad image name \""
                    + ref + "\"");
        }
        return new OciReference(transport, ReferencePaths.absolute(path, transport.name() + ":" + details), ref);
    }

    @Override
    public String details() {
        return path + (ref.isEmpty() ? "" : ":" + ref);
    }

    /** Reads the layout; its blobs from the context's {@code ociSharedBlobDir} when one is set. */
    @Override
    public ImageSource openSource(TransportContext context) throws IOException {
        if (!Files.isDirectory(path)) {
            throw new HoistException(text() + ": " + path + " is not a directory");
        }
        Path shared = context.ociSharedBlobDir();
        LayoutFiles files = shared == null ? new DirectoryFiles(path) : new SharedBlobFiles(path, shared);
        return OciSource.open(this, files, ref, () -> { });
    }

    /** Removes the entry from index.json, then every blob no remaining entry reaches. */
    @Override
    public void deleteImage(TransportContext context) throws IOException {
        if (!Files.isDirectory(path)) {
            throw new HoistException(text() + ": " + path + " is not a directory");
        }
        OciDeletion.delete(this);
    }

    /** Writes into the layout; its blobs into the context's {@code ociSharedBlobDir} when one is set. */
    @Override
    public ImageDestination openDestination(TransportContext context) throws IOException {
        return new OciDestination(this, path, ref, true, context.ociSharedBlobDir());
    }

    @Override
    public String toString() {
        return text();
    }
}
