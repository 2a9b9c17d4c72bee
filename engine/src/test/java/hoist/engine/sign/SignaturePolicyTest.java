package hoist.engine.sign;

import hoist.engine.HoistException;
import hoist.engine.transport.DockerReference;
import hoist.engine.transport.Transports;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** policy.json's scopes and signedIdentity matchers decide as containers/image decides. */
class SignaturePolicyTest {

    @TempDir
    Path temp;

    private static DockerReference ref(String text) {
        return DockerReference.parse(text);
    }

    @Test
    void identityMatchersCompareWhatTheSignatureClaimsWithTheImageRead() {
        DockerReference tagged = ref("example.com/team/app:1");
        DockerReference byDigest = ref("example.com/team/app@sha256:" + "a".repeat(64));
        assertTrue(new IdentityMatch.MatchExact().matches(tagged, ref("example.com/team/app:1")));
        assertFalse(new IdentityMatch.MatchExact().matches(tagged, ref("example.com/team/app:2")));
        assertFalse(new IdentityMatch.MatchExact().matches(null, ref("example.com/team/app:1")), "no Docker name: no match");
        assertTrue(new IdentityMatch.MatchRepoDigestOrExact().matches(byDigest, ref("example.com/team/app:7")));
        assertFalse(new IdentityMatch.MatchRepoDigestOrExact().matches(tagged, ref("example.com/team/app:7")));
        assertTrue(new IdentityMatch.MatchRepository().matches(tagged, ref("example.com/team/app:7")));
        assertFalse(new IdentityMatch.MatchRepository().matches(tagged, ref("example.com/team/other:1")));
        assertTrue(new IdentityMatch.ExactReference(ref("example.com/x:1")).matches(null, ref("example.com/x:1")));
        assertFalse(new IdentityMatch.ExactReference(ref("example.com/x:1")).matches(tagged, ref("example.com/x:2")));
        assertTrue(new IdentityMatch.ExactRepository(ref("example.com/x")).matches(tagged, ref("example.com/x:9")));
        IdentityMatch remap = new IdentityMatch.RemapIdentity("mirror.example.com/team", "example.com/team");
        assertTrue(remap.matches(ref("mirror.example.com/team/app:1"), ref("example.com/team/app:1")));
        assertFalse(remap.matches(ref("mirror.example.com/teams/app:1"), ref("example.com/team/app:1")), "a prefix ends at a slash");
    }

    @Test
    void theMostSpecificScopeOfTheTransportDecides() throws Exception {
        Path file = Files.writeString(temp.resolve("policy.json"), """
                {"default": [{"type": "reject"}],
                 "transports": {
                   "docker": {
                     "": [{"type": "insecureAcceptAnything"}],
                     "example.com/team": [{"type": "reject"}],
                     "example.com/team/open": [{"type": "insecureAcceptAnything"}],
                     "*.internal.example": [{"type": "reject"}]
                   },
                   "dir": {"%s": [{"type": "insecureAcceptAnything"}]}
                 }}""".formatted(temp.resolve("allowed")));
        SignaturePolicy policy = SignaturePolicy.load(file);
        byte[] manifest = "{}".getBytes();
        policy.check(Transports.parse("docker://example.com/other:1"), manifest, List.of());
        policy.check(Transports.parse("docker://example.com/team/open:1"), manifest, List.of());
        HoistException team = assertThrows(HoistException.class,
                () -> policy.check(Transports.parse("docker://example.com/team/app:1"), manifest, List.of()));
        assertEquals("docker://example.com/team/app:1 is rejected by the signature policy " + file
                + ": the policy rejects every image here (requirement \"reject\")", team.getMessage());
        assertThrows(HoistException.class, () -> policy.check(Transports.parse("docker://registry.internal.example/app:1"), manifest, List.of()));
        policy.check(Transports.parse("dir:" + temp.resolve("allowed/image")), manifest, List.of());
        assertThrows(HoistException.class, () -> policy.check(Transports.parse("dir:" + temp.resolve("elsewhere")), manifest, List.of()),
                "no dir scope and no \"\" scope: the default");
    }

    @Test
    void aPolicyThatIsWrongSaysWhereInOneLine() throws Exception {
        Path unknown = Files.writeString(temp.resolve("unknown.json"), "{\"default\": [{\"type\": \"acceptSome\"}]}");
        assertEquals(unknown + ": default: unknown requirement type \"acceptSome\"",
                assertThrows(HoistException.class, () -> SignaturePolicy.load(unknown)).getMessage());
        Path twoKeys = Files.writeString(temp.resolve("two.json"),
                "{\"default\": [{\"type\": \"signedBy\", \"keyType\": \"GPGKeys\", \"keyPath\": \"a\", \"keyData\": \"YQ==\"}]}");
        assertEquals(twoKeys + ": default: signedBy needs exactly one of keyPath, keyPaths and keyData",
                assertThrows(HoistException.class, () -> SignaturePolicy.load(twoKeys)).getMessage());
        Path empty = Files.writeString(temp.resolve("empty.json"), "{\"default\": []}");
        assertEquals(empty + ": default: requirements must be a non-empty list",
                assertThrows(HoistException.class, () -> SignaturePolicy.load(empty)).getMessage());
        Path missing = temp.resolve("absent.json");
        assertTrue(assertThrows(HoistException.class, () -> SignaturePolicy.load(missing)).getMessage()
                .startsWith("no signature policy at " + missing));
    }
}
