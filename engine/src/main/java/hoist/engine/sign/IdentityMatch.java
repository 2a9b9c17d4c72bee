package hoist.engine.sign;

import com.fasterxml.jackson.databind.JsonNode;
import hoist.engine.HoistException;
import hoist.engine.transport.DockerReference;

/**
 * How a {@code signedBy} or {@code sigstoreSigned} requirement relates the identity a signature
 * claims to the image being read ({@code signedIdentity} in policy.json).
 *
 * @see <a href="https://github.com/containers/image/blob/main/docs/containers-policy.json.5.md">containers-policy.json(5), signedIdentity</a>
 */
sealed interface IdentityMatch {

    /**
     * Whether a signature claiming {@code signed} is acceptable for an image read as
     * {@code intended} (null when the image has no Docker reference, as in {@code dir:}).
     */
    boolean matches(DockerReference intended, DockerReference signed);

    /** The tag and digest identical (both must have at least one). */
    record MatchExact() implements IdentityMatch {
        public boolean matches(DockerReference intended, DockerReference signed) {
            return intended != null && !nameOnly(intended) && !nameOnly(signed) && intended.toString().equals(signed.toString());
        }
    }

    /** As matchExact for a tagged image; for one read by digest, the same repository. */
    record MatchRepoDigestOrExact() implements IdentityMatch {
        public boolean matches(DockerReference intended, DockerReference signed) {
            return intended != null && repoDigestOrExact(intended, signed);
        }
    }

    /** The same repository, any tag. */
    record MatchRepository() implements IdentityMatch {
        public boolean matches(DockerReference intended, DockerReference signed) {
            return intended != null && intended.name().equals(signed.name());
        }
    }

    /** The signature names exactly {@code reference}, whatever the image is read as. */
    record ExactReference(DockerReference reference) implements IdentityMatch {
        public boolean matches(DockerReference intended, DockerReference signed) {
            return !nameOnly(reference) && !nameOnly(signed) && reference.toString().equals(signed.toString());
        }
    }

    /** The signature names the repository {@code repository}, any tag. */
    record ExactRepository(DockerReference repository) implements IdentityMatch {
        public boolean matches(DockerReference intended, DockerReference signed) {
            return repository.name().equals(signed.name());
        }
    }

    /** As matchRepoDigestOrExact after replacing the image's name prefix {@code prefix} with {@code signedPrefix}. */
    record RemapIdentity(String prefix, String signedPrefix) implements IdentityMatch {
        public boolean matches(DockerReference intended, DockerReference signed) {
            if (intended == null) {
                return false;
            }
            String name = intended.name();
            DockerReference remapped = intended;
            if (name.equals(prefix) || name.startsWith(prefix + "/")) {
                try {
                    remapped = DockerReference.parse(signedPrefix + intended.toString().substring(prefix.length()));
                } catch (HoistException e) {
                    return false;
                }
            }
            return repoDigestOrExact(remapped, signed);
        }
    }

    private static boolean nameOnly(DockerReference ref) {
        return ref.tag() == null && ref.digest() == null;
    }

    private static boolean repoDigestOrExact(DockerReference intended, DockerReference signed) {
        if (nameOnly(signed)) {
            return false;
        }
        if (intended.tag() != null) {
            return signed.toString().equals(intended.toString());
        }
        if (intended.digest() != null) {
            return signed.name().equals(intended.name());
        }
        return false;
    }

    /** Parses a {@code signedIdentity} object; null gives {@code matchRepoDigestOrExact}, the default. */
    static IdentityMatch parse(JsonNode node, String where) {
        if (node == null || node.isNull()) {
            return new MatchRepoDigestOrExact();
        }
        String type = node.path("type").asText("");
        return switch (type) {
            case "matchExact" -> new MatchExact();
            case "matchRepoDigestOrExact" -> new MatchRepoDigestOrExact();
            case "matchRepository" -> new MatchRepository();
            case "exactReference" -> {
                DockerReference ref = reference(node, "dockerReference", where);
                if (nameOnly(ref)) {
                    throw new HoistException(where + ": exactReference needs a tag or digest, got " + ref);
                }
                yield new ExactReference(ref);
            }
            case "exactRepository" -> new ExactRepository(reference(node, "dockerRepository", where));
            case "remapIdentity" -> new RemapIdentity(field(node, "prefix", where), field(node, "signedPrefix", where));
            default -> throw new HoistException(where + ": unknown signedIdentity type \"" + type + "\"");
        };
    }

    private static DockerReference reference(JsonNode node, String field, String where) {
        String text = field(node, field, where);
        try {
            return DockerReference.parse(text);
        } catch (HoistException e) {
            throw new HoistException(where + ": " + field + ": " + e.getMessage());
        }
    }

    private static String field(JsonNode node, String field, String where) {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual()) {
            throw new HoistException(where + ": signedIdentity " + node.path("type").asText() + " needs \"" + field + "\"");
        }
        return value.asText();
    }
}
