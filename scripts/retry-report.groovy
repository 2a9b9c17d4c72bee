#!/usr/bin/env hoist
// Copy a batch of images listed in a file, one "SOURCE DESTINATION" pair a line (blank lines and
// # comments ignored). Each copy gets a few attempts with a pause between them; a copy that still
// fails does not stop the others. Ends with a report of every line, ok or failed with the reason,
// and fails (exit 1) if any copy failed.
//
//   hoist retry-report.groovy LIST-FILE [ATTEMPTS [PAUSE-SECONDS]]      (defaults: 3 attempts, 5 s)
//   hoist retry-report.groovy nightly-copies.txt 5 30

if (args.length < 1 || args.length > 3) {
    throw HoistException.usage('usage: retry-report.groovy LIST-FILE [ATTEMPTS [PAUSE-SECONDS]]')
}
Path list = Path.of(args[0])
int attempts = args.length > 1 ? args[1] as int : 3
Duration pause = Duration.ofMillis(((args.length > 2 ? args[2] as BigDecimal : 5) * 1000) as long)

/** One line of the list and how its copy went. */
record Outcome(int line, String source, String destination, boolean ok, int attempts, String detail) {}

List<Outcome> outcomes = []
Files.readAllLines(list).eachWithIndex { text, index ->
    String entry = text.strip()
    if (!entry || entry.startsWith('#')) {
        return
    }
    int line = index + 1
    List<String> words = entry.split(/\s+/) as List
    if (words.size() != 2) {
        outcomes << new Outcome(line, entry, '', false, 0, 'expected "SOURCE DESTINATION"')
        return
    }
    outcomes << copyWithRetries(line, words[0], words[1], attempts, pause)
}

println ''
outcomes.each { o ->
    if (o.ok) {
        println "ok      ${list.fileName}:${o.line} ${o.source} -> ${o.destination} ${o.detail}" +
                (o.attempts > 1 ? " (after ${o.attempts} attempts)" : '')
    } else {
        // a failure at the destination names it already
        String reason = o.destination && o.detail.contains(o.destination) ? o.detail : "${o.destination}: ${o.detail}"
        println "FAILED  ${list.fileName}:${o.line} ${o.source} -> ${reason}"
    }
}
List<Outcome> failed = outcomes.findAll { !it.ok }
println "${outcomes.size() - failed.size()} copied, ${failed.size()} failed"
if (failed) {
    throw new HoistException("${failed.size()} of ${outcomes.size()} copies failed: lines " + failed*.line.join(', '))
}

/**
 * Copies source to destination, trying again after a pause when it fails. The copy's own retries
 * (for a dropped connection in the middle of a blob) still apply inside each attempt.
 */
Outcome copyWithRetries(int line, String source, String destination, int attempts, Duration pause) {
    String lastFailure = null
    for (int attempt = 1; attempt <= attempts; attempt++) {
        try {
            def result = copy(source, to: destination, quiet: true)
            return new Outcome(line, source, destination, true, attempt, result.digest.toString())
        } catch (HoistException e) {
            lastFailure = e.message
            println "line ${line}: attempt ${attempt} of ${attempts} failed: ${e.message}"
            if (attempt < attempts) {
                Thread.sleep(pause.toMillis())
            }
        }
    }
    return new Outcome(line, source, destination, false, attempts, lastFailure)
}
