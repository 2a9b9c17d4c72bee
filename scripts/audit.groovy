#!/usr/bin/env hoist
// Audit the layers of a set of images: a table per image (digest, size, media type), totals, and
// warnings for layers over a size limit, uncompressed layers, and media types that do not belong
// to the image's manifest format (Docker layers in an OCI image, or the reverse).
// Images come from the arguments, and from files named with @ (one reference a line, # comments).
// With --strict, any warning fails the audit (exit 1).
//
//   hoist audit.groovy [--max-layer-size=MB] [--strict] IMAGE... [@FILE...]
//   hoist audit.groovy --max-layer-size=200 docker://reg.example/app:1 @images.txt

long maxLayerBytes = 512L * 1024 * 1024
boolean strict = false
List<String> images = []
args.each { arg ->
    if (arg.startsWith('--max-layer-size=')) {
        String megabytes = arg.substring('--max-layer-size='.length())
        if (!(megabytes ==~ /\d+(\.\d+)?/)) {
            throw HoistException.usage("--max-layer-size wants a number of megabytes, not \"${megabytes}\"")
        }
        maxLayerBytes = ((megabytes as BigDecimal) * 1024 * 1024) as long
    } else if (arg == '--strict') {
        strict = true
    } else if (arg.startsWith('@')) {
        images.addAll(referencesIn(Path.of(arg.substring(1))))
    } else {
        images << arg
    }
}
if (images.isEmpty()) {
    throw HoistException.usage('usage: audit.groovy [--max-layer-size=MB] [--strict] IMAGE... [@FILE...]')
}

List<String> warnings = []
Map<String, Long> uniqueLayers = [:]     // digest -> size: a layer shared by images counts once
long totalBytes = 0
int totalLayers = 0

images.each { ref ->
    def image = inspect(ref).image
    def manifest = image.image               // for a list: the instance of this platform
    boolean oci = manifest.mediaType.startsWith('application/vnd.oci.')
    long imageBytes = manifest.layers*.size.sum(0L)
    println "${ref}  ${image.digest()}"
    println "  manifest ${manifest.mediaType}, ${manifest.layers.size()} layers, ${human(imageBytes)}"
    println String.format('  %3s  %-71s  %10s  %s', '#', 'LAYER', 'SIZE', 'MEDIA TYPE')
    manifest.layers.eachWithIndex { layer, i ->
        println String.format('  %3d  %-71s  %10s  %s', i + 1, layer.digest, human(layer.size), layer.mediaType)
        String where = "${ref} layer ${i + 1} (${layer.digest})"
        if (layer.size > maxLayerBytes) {
            warnings << "${where} is ${human(layer.size)}, over the limit of ${human(maxLayerBytes)}"
        }
        if (layer.mediaType.endsWith('.tar') || layer.mediaType.endsWith('rootfs.diff.tar')) {
            warnings << "${where} is uncompressed (${layer.mediaType})"
        }
        if (oci != layer.mediaType.startsWith('application/vnd.oci.')) {
            warnings << "${where} has media type ${layer.mediaType} in a${oci ? 'n OCI' : ' Docker'} image"
        }
        uniqueLayers[layer.digest.toString()] = layer.size
    }
    totalBytes += imageBytes
    totalLayers += manifest.layers.size()
    println ''
}

long uniqueBytes = uniqueLayers.values().sum(0L)
println "total: ${images.size()} images, ${totalLayers} layers, ${human(totalBytes)}; " +
        "${uniqueLayers.size()} distinct layers, ${human(uniqueBytes)}"
warnings.each { println "warning: ${it}" }
if (strict && warnings) {
    throw new HoistException("${warnings.size()} warnings")
}

/** The references listed in a file: one a line, blank lines and # comments ignored. */
List<String> referencesIn(Path file) {
    Files.readAllLines(file)*.strip().findAll { it && !it.startsWith('#') }
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
