#!/usr/bin/env hoist
// Assemble a multi-arch image: one manifest list (OCI index) naming a per-platform image for each
// platform, pushed with all its images to DESTINATION. Each image's platform comes from its own
// config; two images for the same platform are refused before anything is pushed. The list is
// built in the local store under a temporary name and removed afterwards, pushed or not.
// Prints the list's digest and, per platform, the digest of its image.
//
//   hoist multiarch.groovy DESTINATION IMAGE...
//   hoist multiarch.groovy docker://reg.example/app:1 oci:build/amd64:app oci:build/arm64:app

if (args.length < 2) {
    throw HoistException.usage('usage: multiarch.groovy DESTINATION IMAGE...')
}
String destination = args[0]
List<String> images = args[1..-1]
String list = "localhost/multiarch-${UUID.randomUUID()}:latest"

manifest.create(list)
try {
    images.each { image -> manifest.add(list, image) }

    def entries = manifest.inspect(list).manifest.manifests
    def platforms = entries.collect { it.platform.toString() }
    def repeated = platforms.findAll { p -> platforms.count(p) > 1 }.unique()
    if (repeated) {
        throw new HoistException("more than one image for ${repeated.join(', ')}: " +
                'give one image per platform')
    }

    def pushed = manifest.push(list, destination, all: true)
    println "${destination} ${pushed.digest()}"
    entries.each { println "  ${it.platform}  ${it.digest}" }
} finally {
    // the list was only a means to build the push; the images it named stay where they were
    manifest.rm(list)
}
