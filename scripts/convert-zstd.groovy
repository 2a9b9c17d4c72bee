#!/usr/bin/env hoist
// Convert images to OCI with zstd-compressed layers (smaller, and faster to decompress than gzip),
// reporting the size of each image's layers before and after.
// Arguments are SOURCE DESTINATION pairs; a destination may be the source's own name to convert in
// place.
//
//   hoist convert-zstd.groovy SOURCE DESTINATION [SOURCE DESTINATION...]
//   hoist convert-zstd.groovy docker://reg.example/app:1 docker://reg.example/app:1-zstd

if (args.length == 0 || args.length % 2 != 0) {
    throw HoistException.usage('usage: convert-zstd.groovy SOURCE DESTINATION [SOURCE DESTINATION...]')
}

long before = 0
long after = 0
args.toList().collate(2).each { source, destination ->
    long sourceBytes = layerBytes(source)
    def result = copy(source, to: destination, format: 'oci', compressionFormat: 'zstd', quiet: true)
    long convertedBytes = layerBytes(destination)
    println String.format('%s -> %s  %s: %s -> %s (%s)', source, destination, result.digest,
            human(sourceBytes), human(convertedBytes), change(sourceBytes, convertedBytes))
    before += sourceBytes
    after += convertedBytes
}
println String.format('total: %s -> %s (%s)', human(before), human(after), change(before, after))

/** The compressed size of an image's layers, as its manifest records them. */
long layerBytes(String reference) {
    inspect(reference).layers*.size.sum(0L)
}

String change(long from, long to) {
    from == 0 ? 'n/a' : String.format('%+.1f%%', (to - from) * 100.0 / from)
}

/** Bytes for people: 1.5 MB, 512 B. */
String human(long bytes) {
    if (bytes < 1024) {
        return "${bytes} B"
    }
    def units = ['KB', 'MB', 'GB', 'TB']
    double value = bytes / 1024.0
    int unit = 0
    while (value >= 1024 && unit < units.size() - 1) {
        value /= 1024
        unit++
    }
    return String.format('%.1f %s', value, units[unit])
}
