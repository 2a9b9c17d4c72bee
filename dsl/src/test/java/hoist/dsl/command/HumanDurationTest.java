package hoist.dsl.command;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Ages in the words podman uses (docker's go-units thresholds). */
class HumanDurationTest {

    @Test
    void eachUnitFromItsThreshold() {
        assertEquals("Less than a second", ImagesCommand.humanDuration(Duration.ofMillis(400)));
        assertEquals("1 second", ImagesCommand.humanDuration(Duration.ofSeconds(1)));
        assertEquals("59 seconds", ImagesCommand.humanDuration(Duration.ofSeconds(59)));
        assertEquals("About a minute", ImagesCommand.humanDuration(Duration.ofSeconds(90)));
        assertEquals("2 minutes", ImagesCommand.humanDuration(Duration.ofMinutes(2)));
        assertEquals("About an hour", ImagesCommand.humanDuration(Duration.ofMinutes(80)));
        assertEquals("2 hours", ImagesCommand.humanDuration(Duration.ofMinutes(95)));
        assertEquals("47 hours", ImagesCommand.humanDuration(Duration.ofHours(47)));
        assertEquals("2 days", ImagesCommand.humanDuration(Duration.ofHours(48)));
        assertEquals("2 weeks", ImagesCommand.humanDuration(Duration.ofDays(14)));
        assertEquals("3 months", ImagesCommand.humanDuration(Duration.ofDays(95)));
        assertEquals("2 years", ImagesCommand.humanDuration(Duration.ofDays(800)));
        assertEquals("About a minute ago", ImagesCommand.ago(java.time.Instant.now().minusSeconds(70).toString()));
    }
}
