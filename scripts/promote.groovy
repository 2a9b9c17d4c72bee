#!/usr/bin/env hoist
// Promote an image from one environment to the next (staging -> prod) only if it is exactly the
// image that was tested: its manifest digest must match the expected one, given as sha256:...
// or read from a digest file (such as the one `push --digestfile` wrote). Otherwise nothing is
// written and the script fails (exit 1) saying why.
//
//   hoist promote.groovy SOURCE TARGET EXPECTED-DIGEST|DIGEST-FILE
//   hoist promote.groovy docker://reg.example/staging/app:1 docker://reg.example/prod/app:1 /ci/app.digest

if (args.length != 3) {
    throw HoistException.usage('usage: promote.groovy SOURCE TARGET EXPECTED-DIGEST|DIGEST-FILE')
}
String source = args[0]
String target = args[1]
Digest expected = expectedDigest(args[2])

Digest actual = Digest.parse(inspect(source).digest)
if (actual != expected) {
    throw new HoistException("refusing to promote ${source} to ${target}: " +
            "its digest is ${actual}, expected ${expected}; ${target} was left as it was")
}

// Copy by digest, not by tag: if the tag moves between the check and the copy, what is promoted
// is still the image that was checked.
def result = copy(pinned(source, expected), to: target, quiet: true)
if (result.digest != expected) {
    throw new HoistException("${target} received ${result.digest}, not ${expected} (was the manifest converted?)")
}
println "promoted ${source} to ${target} (${expected})"

/** A digest given as sha256:..., or the first line of a file holding one. */
Digest expectedDigest(String given) {
    if (given ==~ /[a-z0-9]+:[0-9a-fA-F]+/) {
        return Digest.parse(given)
    }
    Path file = Path.of(given)
    if (!Files.isRegularFile(file)) {
        throw HoistException.usage("${given}: neither a digest (sha256:...) nor a digest file")
    }
    return Digest.parse(Files.readString(file).strip())
}

/** docker://host/repo:tag as docker://host/repo@DIGEST; other transports cannot name by digest. */
String pinned(String reference, Digest digest) {
    if (!reference.startsWith('docker://')) {
        return reference
    }
    String repository = reference.contains('@') ? reference.substring(0, reference.indexOf('@'))
                                                : reference.replaceFirst(/:[^:\/]+$/, '')
    return "${repository}@${digest}"
}
