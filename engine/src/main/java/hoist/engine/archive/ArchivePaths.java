package hoist.engine.archive;

import java.util.ArrayList;
import java.util.List;

/**
 * The rules an image archive's entry names and links must keep, shared by every tar reader: no
 * entry and no link may reach outside the archive.
 */
public final class ArchivePaths {

    private ArchivePaths() {
    }

    /**
     * The entry's path without {@code ./}, empty parts or trailing slashes ({@code a/b}).
     *
     * @param what names the archive in messages
     * @throws InvalidArchiveException for an absolute path or one with {@code ..}
     */
    public static String normalize(String name, String what) {
        if (name.startsWith("/")) {
            throw new InvalidArchiveException(what + ": entry \"" + name + "\" has an absolute path");
        }
        List<String> parts = new ArrayList<>();
        for (String part : name.split("/")) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                throw new InvalidArchiveException(what + ": entry \"" + name + "\" leaves the archive (\"..\")");
            }
            parts.add(part);
        }
        return String.join("/", parts);
    }

    /**
     * A symbolic link's target resolved against the directory of the link {@code linkPath} (a
     * normalized entry path), as a normalized entry path.
     *
     * @param what names the archive in messages
     * @throws InvalidArchiveException when the target is absolute or climbs out of the archive
     */
    public static String resolveLink(String linkPath, String target, String what) {
        if (target.startsWith("/")) {
            throw outside(linkPath, target, what);
        }
        List<String> parts = new ArrayList<>(List.of(linkPath.split("/")));
        parts.remove(parts.size() - 1);
        for (String part : target.split("/")) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                if (parts.isEmpty()) {
                    throw outside(linkPath, target, what);
                }
                parts.remove(parts.size() - 1);
            } else {
                parts.add(part);
            }
        }
        return String.join("/", parts);
    }

    private static InvalidArchiveException outside(String linkPath, String target, String what) {
        return new InvalidArchiveException(what + ": link \"" + linkPath + "\" points outside the archive (\"" + target + "\")");
    }
}
