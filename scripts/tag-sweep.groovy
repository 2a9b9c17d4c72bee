#!/usr/bin/env hoist
// Copy every tag of a registry repository that matches a pattern to another repository, keeping
// the tag names: e.g. all release tags from a build registry to a public one. The tags are listed
// by inspecting one existing image of the source repository. Blobs the tags share are sent once
// and then reused or mounted. Fails (exit 1) if any tag failed to copy, after trying them all.
//
//   hoist tag-sweep.groovy SOURCE-IMAGE DESTINATION-REPOSITORY GLOB
//   hoist tag-sweep.groovy docker://build.example/app:latest docker://pub.example/app 'v1.*'

if (args.length != 3) {
    throw HoistException.usage('usage: tag-sweep.groovy SOURCE-IMAGE DESTINATION-REPOSITORY GLOB')
}
String sourceImage = args[0]
String destinationRepository = args[1]
String glob = args[2]
if (!sourceImage.startsWith('docker://') || !destinationRepository.startsWith('docker://')) {
    throw HoistException.usage('tag-sweep.groovy works on registries: docker://... references')
}
// docker://host/repo:tag -> docker://host/repo
String sourceRepository = sourceImage.replaceFirst(/(@.*|:[^:\/]+)$/, '')
def matching = globPattern(glob)

// inspecting an image of a registry repository also lists the repository's tags
List<String> tags = inspect(sourceImage).tags.findAll { it ==~ matching }.sort()
if (!tags) {
    throw new HoistException("no tag of ${sourceRepository} matches ${glob}")
}
Map<String, String> failures = [:]
tags.each { tag ->
    try {
        def d = copy("${sourceRepository}:${tag}", to: "${destinationRepository}:${tag}", quiet: true).destinations[0]
        println "${tag}  ${d.digest}  (${d.uploadedCount} uploaded, ${d.mountedCount + d.reusedCount} reused or mounted)"
    } catch (HoistException e) {
        failures[tag] = e.message
        println "${tag}  FAILED: ${e.message}"
    }
}
println "${tags.size() - failures.size()} of ${tags.size()} tags matching ${glob} copied to ${destinationRepository}"
if (failures) {
    throw new HoistException("tags not copied: ${failures.keySet().join(', ')}")
}

/** A shell-style glob (* and ?) as a regular expression. */
java.util.regex.Pattern globPattern(String glob) {
    String regex = glob.collect { c ->
        c == '*' ? '.*' : c == '?' ? '.' : java.util.regex.Pattern.quote(c)
    }.join()
    return java.util.regex.Pattern.compile(regex)
}
