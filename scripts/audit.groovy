#!/usr/bin/env hoist
// Audit the layers of a set of images: a table per image (digest, size, media type), totals, and
// warnings for layers over a size limit, uncompressed layers, and media types that do not belong
// to the image's manifest format (Docker layers in an OCI image, or the reverse). A manifest list
// is audited for each of its platforms.
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
int auditedImages = 0

images.each { ref ->
    def inspected = inspect(ref)
    // a list is audited platform by platform; an entry that cannot be read is itself a warning
    List<List> parts = [[ref, inspected]]
    if (inspected.list) {
        parts = inspected.manifests.findAll { it.image }.collect { ["${ref} [${it.platform}]", it.image] }
        inspected.manifests.findAll { !it.image }.each { warnings << "${ref} entry ${it.digest} (${it.platform}): ${it.unavailable}" }
    }
    parts.each { name, image ->
        boolean oci = image.mediaType.startsWith('application/vnd.oci.')
        long imageBytes = image.layers*.size.sum(0L)
        println "${name}  ${image.digest}"
        println "  manifest ${image.mediaType}, ${image.layers.size()} layers, ${human(imageBytes)}"
        println String.format('  %3s  %-71s  %10s  %s', '#', 'LAYER', 'SIZE', 'MEDIA TYPE')
        image.layers.each { layer ->
            println String.format('  %3d  %-71s  %10s  %s', layer.index, layer.digest, human(layer.size), layer.mediaType)
            String where = "${name} layer ${layer.index} (${layer.digest})"
            if (layer.size > maxLayerBytes) {
                warnings << "${where} is ${human(layer.size)}, over the limit of ${human(maxLayerBytes)}"
            }
            if (layer.compression == 'none') {
                warnings << "${where} is uncompressed (${layer.mediaType})"
            }
            if (oci != layer.mediaType.startsWith('application/vnd.oci.')) {
                warnings << "${where} has media type ${layer.mediaType} in a${oci ? 'n OCI' : ' Docker'} image"
            }
            uniqueLayers[layer.digest] = layer.size
        }
        totalBytes += imageBytes
        totalLayers += image.layers.size()
        auditedImages++
        println ''
    }
}

long uniqueBytes = uniqueLayers.values().sum(0L)
println "total: ${auditedImages} images, ${totalLayers} layers, ${human(totalBytes)}; " +
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
