package hoist.engine.sign;

import hoist.engine.HoistException;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPPublicKeyRing;
import org.bouncycastle.openpgp.PGPPublicKeyRingCollection;
import org.bouncycastle.openpgp.PGPUtil;
import org.bouncycastle.openpgp.operator.bc.BcKeyFingerprintCalculator;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * OpenPGP public keys as {@code gpg --export} writes them, binary or ASCII-armored (a policy's
 * {@code keyPath}, {@code keyPaths} and decoded {@code keyData}).
 */
public final class PublicKeys {

    private PublicKeys() {
    }

    /**
     * Every key ring in {@code bytes}.
     *
     * @param origin names the bytes in errors (a file, a policy field)
     * @throws HoistException when the bytes hold no OpenPGP public key
     */
    public static List<PGPPublicKeyRing> read(byte[] bytes, String origin) {
        List<PGPPublicKeyRing> rings = new ArrayList<>();
        try (InputStream in = PGPUtil.getDecoderStream(new ByteArrayInputStream(bytes))) {
            new PGPPublicKeyRingCollection(in, new BcKeyFingerprintCalculator()).forEach(rings::add);
        } catch (IOException | PGPException | RuntimeException e) {
            throw new HoistException(origin + ": not an OpenPGP public key file: " + HoistException.describe(e));
        }
        if (rings.isEmpty()) {
            throw new HoistException(origin + ": no OpenPGP public key in it");
        }
        return rings;
    }
}
