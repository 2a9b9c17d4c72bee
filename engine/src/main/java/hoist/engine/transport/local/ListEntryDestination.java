package hoist.engine.transport.local;

import hoist.engine.image.Descriptor;
import hoist.engine.image.MediaTypes;
import hoist.engine.transport.BlobInfo;
import hoist.engine.transport.ImageDestination;
import hoist.engine.transport.ImageReference;
import hoist.engine.transport.IncomingBlob;
import hoist.engine.transport.RawManifest;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Optional;

/**
 * Writes an image into a list editing's staging directory. Its commit hands the image's entries
 * to the editing; nothing is visible in the store until the editing's own update.
 */
final class ListEntryDestination implements ImageDestination {

    private final ListEntryReference reference;
    private RawManifest top;

    ListEntryDestination(ListEntryReference reference) {
        this.reference = reference;
    }

    @Override
    public ImageReference reference() {
        return reference;
    }

    @Override
    public List<String> supportedManifestTypes() {
        return MediaTypes.IMAGES_AND_LISTS;
    }

    @Override
    public Optional<Descriptor> tryReuse(Descriptor blob) throws IOException {
        return reference.editing().reuse(blob);
    }

    @Override
    public Descriptor putBlob(InputStream stream, BlobInfo info) throws IOException {
        IncomingBlob incoming = IncomingBlob.receive(stream, info, reference.editing().stagingDir());
        reference.editing().stage(incoming.file(), incoming.digest(), incoming.size());
        return new Descriptor(info.mediaType(), incoming.digest(), incoming.size());
    }

    @Override
    public void putInstanceManifest(RawManifest manifest) throws IOException {
        putBlob(new ByteArrayInputStream(manifest.bytes()), BlobInfo.ofManifest(manifest));
    }

    @Override
    public void putManifest(RawManifest manifest) throws IOException {
        if (!MediaTypes.isList(manifest.parse().mediaType())) {
            putInstanceManifest(manifest); // a list's own bytes are not kept: only its entries join
        }
        top = manifest;
    }

    @Override
    public void commit() throws IOException {
        reference.editing().addStaged(top.parse(), reference.all(), reference.changes(), reference.text());
    }

    /** The staging directory belongs to the editing, which removes it. */
    @Override
    public void close() {
    }
}
