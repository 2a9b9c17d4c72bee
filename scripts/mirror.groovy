#!/usr/bin/env hoist
// Mirror one image to several registries or repositories in a single push: each layer is read
// (and compressed, if it must be) once, whatever the number of destinations.
// Prints the manifest digest written at every destination; if any destination failed, reports
// every one first, then fails (exit 1).
//
//   hoist mirror.groovy SOURCE DESTINATION...
//   hoist mirror.groovy localhost/app:1 docker://a.example/team/app:1 docker://b.example/app:1

if (args.length < 2) {
    throw HoistException.usage('usage: mirror.groovy SOURCE DESTINATION...')
}
String source = args[0]
List<String> destinations = args[1..-1]

def result
try {
    result = push(source, to: destinations)
} catch (CopyFailedException e) {
    // the destinations that worked are written; report them all before failing
    result = e.result
}

// results come in the order the destinations were given
result.destinations.each { d ->
    if (d.succeeded) {
        println "ok      ${d.destination} ${d.digest} " +
                "(${d.uploadedCount} uploaded, ${d.mountedCount} mounted, ${d.reusedCount} already there)"
    } else {
        // a failure usually names its destination already
        String reason = d.failure.startsWith(d.destination) ? d.failure : "${d.destination}: ${d.failure}"
        println "FAILED  ${reason}"
    }
}

if (!result.succeeded) {
    throw new HoistException("${result.failures.size()} of ${destinations.size()} destinations failed: " +
            result.failures*.destination.join(', '))
}
println "${source} mirrored to ${destinations.size()} destinations as ${result.digest}"
