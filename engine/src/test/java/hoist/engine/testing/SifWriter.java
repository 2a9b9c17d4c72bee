package hoist.engine.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Writes Singularity Image Format files as the SIF specification lays them out (a 128-byte global
 * header, a table of 585-byte descriptors, then the objects' data, little-endian throughout),
 * since no SIF tool is packaged here: a definition file object and partitions, each with its
 * file system type, partition type and architecture.
 *
 * @see <a href="https://github.com/sylabs/sif/blob/main/pkg/sif/sif.go">the SIF format (sylabs/sif)</a>
 */
public final class SifWriter {

    public static final int DATA_DEFFILE = 0x4001;
    public static final int DATA_PARTITION = 0x4004;
    public static final int FS_SQUASH = 1;
    public static final int PART_PRIMSYS = 2;
    public static final int PART_DATA = 3;
    public static final String ARCH_AMD64 = "02";
    public static final String ARCH_ARM64 = "04";

    private record DataObject(int type, byte[] data, Path file, int fsType, int partType, String arch) {
        long size() throws IOException {
            return data != null ? data.length : Files.size(file);
        }
    }

    private final List<DataObject> objects = new ArrayList<>();
    private final String arch;
    private final UUID id;
    private final long modified;
    private byte[] magic = "SIF_MAGIC\0".getBytes(StandardCharsets.US_ASCII);
    private int spareDescriptors = 2;

    /** A file whose header names {@code arch} (two digits: {@link #ARCH_AMD64}, ...) and times {@code modified} (Unix seconds). */
    public SifWriter(String arch, UUID id, long modified) {
        this.arch = arch;
        this.id = id;
        this.modified = modified;
    }

    /** Adds a definition file object. */
    public SifWriter definitionFile(String text) {
        objects.add(new DataObject(DATA_DEFFILE, text.getBytes(StandardCharsets.UTF_8), null, 0, 0, "00"));
        return this;
    }

    /** Adds a partition holding {@code image} (a squashfs file, say). */
    public SifWriter partition(Path image, int fsType, int partType) {
        objects.add(new DataObject(DATA_PARTITION, null, image, fsType, partType, arch));
        return this;
    }

    /** Replaces the magic (10 bytes), to make a file that is not SIF. */
    public SifWriter magic(String text) {
        magic = java.util.Arrays.copyOf(text.getBytes(StandardCharsets.US_ASCII), 10);
        return this;
    }

    /** Writes the file; objects are aligned to 4096 bytes, as Singularity aligns them. */
    public void write(Path target) throws IOException {
        int total = objects.size() + spareDescriptors;
        long tableOffset = 4096;
        long tableSize = (long) total * 585;
        long dataOffset = align(tableOffset + tableSize);
        long[] offsets = new long[objects.size()];
        long at = dataOffset;
        for (int i = 0; i < objects.size(); i++) {
            offsets[i] = at;
            at = align(at + objects.get(i).size());
        }
        ByteBuffer header = ByteBuffer.allocate(128).order(ByteOrder.LITTLE_ENDIAN);
        header.put(java.util.Arrays.copyOf("#!/usr/bin/env run-singularity\n".getBytes(StandardCharsets.US_ASCII), 32));
        header.put(magic);
        header.put("01\0".getBytes(StandardCharsets.US_ASCII));
        header.put((arch + "\0").getBytes(StandardCharsets.US_ASCII));
        header.order(ByteOrder.BIG_ENDIAN).putLong(id.getMostSignificantBits()).putLong(id.getLeastSignificantBits());
        header.order(ByteOrder.LITTLE_ENDIAN);
        header.putLong(modified).putLong(modified).putLong(spareDescriptors).putLong(total).putLong(tableOffset)
                .putLong(tableSize).putLong(dataOffset).putLong(at - dataOffset);
        ByteBuffer table = ByteBuffer.allocate((int) tableSize).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < objects.size(); i++) {
            DataObject o = objects.get(i);
            int base = i * 585;
            table.position(base);
            table.putInt(o.type()).put((byte) 1).putInt(i + 1).putInt(0xf0000001).putInt(0)
                    .putLong(offsets[i]).putLong(o.size()).putLong(align(o.size())).putLong(modified).putLong(modified)
                    .putLong(0).putLong(0);
            table.put(java.util.Arrays.copyOf(("object-" + (i + 1)).getBytes(StandardCharsets.US_ASCII), 128));
            if (o.type() == DATA_PARTITION) {
                table.putInt(o.fsType()).putInt(o.partType()).put((o.arch() + "\0").getBytes(StandardCharsets.US_ASCII));
            }
        }
        try (OutputStream out = Files.newOutputStream(target)) {
            out.write(header.array());
            out.write(new byte[(int) (tableOffset - 128)]);
            out.write(table.array());
            long written = tableOffset + tableSize;
            for (int i = 0; i < objects.size(); i++) {
                out.write(new byte[(int) (offsets[i] - written)]);
                DataObject o = objects.get(i);
                if (o.data() != null) {
                    out.write(o.data());
                } else {
                    Files.copy(o.file(), out);
                }
                written = offsets[i] + o.size();
            }
            out.write(new byte[(int) (at - written)]);
        }
    }

    private static long align(long n) {
        return (n + 4095) / 4096 * 4096;
    }
}
