package hoist.engine.transport.sif;

import hoist.engine.HoistException;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The global header and descriptor table of a Singularity Image Format file, as the SIF
 * specification lays them out (all integers little-endian, no padding between fields):
 * <pre>
 *   header (128 bytes): launch script [32], magic "SIF_MAGIC\0" [10], version "01\0" [3],
 *                       primary architecture "NN\0" [3], UUID [16], created (int64, Unix seconds),
 *                       modified (int64), free descriptors (int64), total descriptors (int64),
 *                       descriptor table offset (int64), table size in bytes (int64),
 *                       data offset (int64), data size (int64)
 *   descriptor (585 bytes): data type (int32), used (bool, 1 byte), ID, group ID, linked ID (uint32
 *                       each), offset, size, size with padding, created, modified, UID, GID (int64
 *                       each), name [128], type-specific data [384]; for a partition the latter
 *                       starts with file system type (int32), partition type (int32), architecture [3]
 * </pre>
 *
 * @param created   the header's creation time, Unix seconds
 * @param modified  the header's modification time, Unix seconds
 * @param id        the image's UUID
 * @param arch      the primary architecture as Go names it ({@code amd64}, {@code arm64}), or
 *                  {@code unknown}
 * @param objects   the descriptors in use, in table order
 * @see <a href="https://github.com/sylabs/sif/blob/main/pkg/sif/sif.go">the SIF format (sylabs/sif)</a>
 */
record SifFile(long created, long modified, UUID id, String arch, List<DataObject> objects) {

    static final int HEADER_SIZE = 128;
    static final int DESCRIPTOR_SIZE = 585;
    static final byte[] MAGIC = "SIF_MAGIC\0".getBytes(StandardCharsets.US_ASCII);

    static final int DATA_DEFFILE = 0x4001;
    static final int DATA_PARTITION = 0x4004;
    static final int FS_SQUASH = 1;
    static final int PART_PRIMSYS = 2;

    /** SIF's two-digit architecture codes, as the specification numbers them, to Go's names. */
    private static final Map<String, String> ARCHES = Map.ofEntries(Map.entry("01", "386"), Map.entry("02", "amd64"),
            Map.entry("03", "arm"), Map.entry("04", "arm64"), Map.entry("05", "ppc64"), Map.entry("06", "ppc64le"),
            Map.entry("07", "mips"), Map.entry("08", "mipsle"), Map.entry("09", "mips64"), Map.entry("10", "mips64le"),
            Map.entry("11", "s390x"), Map.entry("12", "riscv64"), Map.entry("13", "loong64"));

    /**
     * One data object's descriptor.
     *
     * @param dataType  {@code 0x4001} definition file, {@code 0x4004} partition, ...
     * @param offset    where its bytes start in the file
     * @param size      how many bytes it has
     * @param fsType    for partitions: 1 squashfs, 2 ext3, 3 archive, 4 raw, 5 encrypted squashfs; else 0
     * @param partType  for partitions: 1 system, 2 primary system, 3 data, 4 overlay; else 0
     */
    record DataObject(int dataType, int id, long offset, long size, int fsType, int partType) {
    }

    /**
     * Reads the header and descriptor table of {@code file}.
     *
     * @throws HoistException naming {@code what} when the magic or version is wrong, the header or the
     *                        descriptor table is cut short, or an object lies outside the file
     */
    static SifFile read(Path file, String what) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long length = channel.size();
            ByteBuffer header = readFully(channel, 0, HEADER_SIZE, what, "the global header");
            byte[] magic = new byte[MAGIC.length];
            header.position(32).get(magic);
            if (!java.util.Arrays.equals(magic, MAGIC)) {
                throw new HoistException(what + ": not a SIF file (no SIF_MAGIC in the global header)");
            }
            String version = ascii(header, 42, 3);
            if (!version.equals("01")) {
                throw new HoistException(what + ": SIF version \"" + version + "\" is not supported (only 01)");
            }
            String arch = ARCHES.getOrDefault(ascii(header, 45, 3), "unknown");
            long msb = header.order(ByteOrder.BIG_ENDIAN).getLong(48);
            long lsb = header.getLong(56);
            UUID id = new UUID(msb, lsb);
            header.order(ByteOrder.LITTLE_ENDIAN);
            long created = header.getLong(64);
            long modified = header.getLong(72);
            long total = header.getLong(88);
            long tableOffset = header.getLong(96);
            long tableSize = header.getLong(104);
            if (total < 0 || total > 1 << 20 || tableOffset < HEADER_SIZE || tableSize < total * DESCRIPTOR_SIZE) {
                throw new HoistException(what + ": the global header describes an impossible descriptor table ("
                        + total + " descriptors in " + tableSize + " bytes at offset " + tableOffset + ")");
            }
            if (tableOffset + total * DESCRIPTOR_SIZE > length) {
                throw new HoistException(what + ": the descriptor table is truncated (" + total + " descriptors of "
                        + DESCRIPTOR_SIZE + " bytes at offset " + tableOffset + ", but the file has " + length + " bytes)");
            }
            ByteBuffer table = readFully(channel, tableOffset, (int) (total * DESCRIPTOR_SIZE), what, "the descriptor table");
            List<DataObject> objects = new ArrayList<>();
            for (int i = 0; i < total; i++) {
                int base = i * DESCRIPTOR_SIZE;
                if (table.get(base + 4) == 0) {
                    continue; // a free slot
                }
                int type = table.getInt(base);
                int objectId = table.getInt(base + 5);
                long offset = table.getLong(base + 17);
                long size = table.getLong(base + 25);
                int extra = base + 73 + 128;
                boolean partition = type == DATA_PARTITION;
                DataObject object = new DataObject(type, objectId, offset, size,
                        partition ? table.getInt(extra) : 0, partition ? table.getInt(extra + 4) : 0);
                if (offset < 0 || size < 0 || offset + size > length) {
                    throw new HoistException(what + ": data object " + objectId + " (" + size + " bytes at offset "
                            + offset + ") lies outside the file, which has " + length + " bytes");
                }
                objects.add(object);
            }
            return new SifFile(created, modified, id, arch, List.copyOf(objects));
        }
    }

    /**
     * The primary system partition, which holds the root file system: the one object
     * containers/image takes the image from.
     *
     * @throws HoistException when there is none, or more than one, or it is not squashfs
     */
    DataObject primaryPartition(String what) {
        List<DataObject> found = objects.stream()
                .filter(o -> o.dataType() == DATA_PARTITION && o.partType() == PART_PRIMSYS).toList();
        if (found.isEmpty()) {
            throw new HoistException(what + ": the SIF file has no primary system partition (no root file system)");
        }
        if (found.size() > 1) {
            throw new HoistException(what + ": the SIF file has " + found.size() + " primary system partitions");
        }
        DataObject root = found.get(0);
        if (root.fsType() != FS_SQUASH) {
            throw new HoistException(what + ": the primary system partition is not squashfs (file system type "
                    + root.fsType() + "), which is the only one that can be read");
        }
        return root;
    }

    /** The definition file object, when there is exactly one (containers/image ignores it otherwise). */
    Optional<DataObject> definitionFile() {
        List<DataObject> found = objects.stream().filter(o -> o.dataType() == DATA_DEFFILE).toList();
        return found.size() == 1 ? Optional.of(found.get(0)) : Optional.empty();
    }

    /**
     * The bytes of a small object (a definition file), read whole.
     *
     * @throws HoistException when it is larger than {@code limit} bytes
     */
    static byte[] readSmall(Path file, DataObject object, int limit, String what) throws IOException {
        if (object.size() > limit) {
            throw new HoistException(what + ": data object " + object.id() + " has " + object.size()
                    + " bytes, more than the " + limit + " a definition file may have");
        }
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            return readFully(channel, object.offset(), (int) object.size(), what, "data object " + object.id()).array();
        }
    }

    private static ByteBuffer readFully(FileChannel channel, long offset, int size, String what, String part) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
        while (buffer.hasRemaining()) {
            if (channel.read(buffer, offset + buffer.position()) < 0) {
                throw new HoistException(what + ": not a SIF file (" + part + " is cut short: the file has "
                        + channel.size() + " bytes)");
            }
        }
        return buffer.flip();
    }

    private static String ascii(ByteBuffer buffer, int offset, int length) {
        byte[] bytes = new byte[length];
        buffer.get(offset, bytes);
        int end = 0;
        while (end < length && bytes[end] != 0) {
            end++;
        }
        return new String(bytes, 0, end, StandardCharsets.US_ASCII);
    }
}
