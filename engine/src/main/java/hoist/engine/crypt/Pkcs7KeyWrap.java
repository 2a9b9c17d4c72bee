package hoist.engine.crypt;

import hoist.engine.HoistException;

import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cms.CMSAlgorithm;
import org.bouncycastle.cms.CMSEnvelopedData;
import org.bouncycastle.cms.CMSEnvelopedDataGenerator;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.KeyTransRecipientId;
import org.bouncycastle.cms.RecipientInformation;
import org.bouncycastle.cms.jcajce.JceCMSContentEncryptorBuilder;
import org.bouncycastle.cms.jcajce.JceKeyTransEnvelopedRecipient;
import org.bouncycastle.cms.jcajce.JceKeyTransRecipientInfoGenerator;

import java.io.IOException;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.interfaces.RSAPrivateKey;
import java.util.List;
import java.util.Optional;

/**
 * The {@code pkcs7} scheme: the private options in a CMS EnvelopedData (PKCS#7) for X.509
 * certificates' RSA keys, the content AES-256-CBC encrypted, one envelope for all recipients.
 * Envelopes ocicrypt makes (AES-128-GCM content) are read as well.
 *
 * @see <a href="https://github.com/containers/ocicrypt/blob/main/keywrap/pkcs7/keywrapper_pkcs7.go">ocicrypt's pkcs7 key wrapper</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc5652#section-6">RFC 5652 EnvelopedData</a>
 */
final class Pkcs7KeyWrap {

    static final String SCHEME = "pkcs7";

    private Pkcs7KeyWrap() {
    }

    /** The DER of an EnvelopedData holding {@code privateOptions} for each certificate's key. */
    static byte[] wrap(List<X509CertificateHolder> recipients, byte[] privateOptions) {
        try {
            CMSEnvelopedDataGenerator generator = new CMSEnvelopedDataGenerator();
            JcaX509CertificateConverter converter = new JcaX509CertificateConverter().setProvider(KeyFiles.BC);
            for (X509CertificateHolder cert : recipients) {
                generator.addRecipientInfoGenerator(new JceKeyTransRecipientInfoGenerator(converter.getCertificate(cert))
                        .setProvider(KeyFiles.BC));
            }
            CMSEnvelopedData data = generator.generate(new CMSProcessableByteArray(privateOptions),
                    new JceCMSContentEncryptorBuilder(CMSAlgorithm.AES256_CBC).setProvider(KeyFiles.BC).build());
            return data.toASN1Structure().getEncoded("DER");
        } catch (CMSException | CertificateException | IOException e) {
            throw new HoistException("pkcs7: the layer key cannot be wrapped: " + e.getMessage(), e);
        }
    }

    /**
     * The private options from an EnvelopedData, when one of {@code keys} is a recipient's
     * (recipients are matched by {@code certificates} where given, else every key is tried).
     *
     * @return empty when none is
     */
    static Optional<byte[]> unwrap(byte[] packet, List<PrivateKey> keys, List<X509CertificateHolder> certificates,
                                   List<String> errors) {
        CMSEnvelopedData data;
        try {
            data = new CMSEnvelopedData(packet);
        } catch (CMSException | RuntimeException e) {
            throw new HoistException("the pkcs7 wrapped key is not a valid PKCS#7 envelope: " + e.getMessage(), e);
        }
        for (RecipientInformation recipient : data.getRecipientInfos().getRecipients()) {
            if (!certificates.isEmpty() && recipient.getRID() instanceof KeyTransRecipientId rid
                    && certificates.stream().noneMatch(c -> c.getIssuer().equals(rid.getIssuer())
                    && c.getSerialNumber().equals(rid.getSerialNumber()))) {
                continue;
            }
            for (PrivateKey key : keys) {
                if (!(key instanceof RSAPrivateKey)) {
                    continue;
                }
                try {
                    return Optional.of(recipient.getContent(new JceKeyTransEnvelopedRecipient(key).setProvider(KeyFiles.BC)));
                } catch (CMSException | RuntimeException e) {
                    errors.add("pkcs7: " + e.getMessage());
                }
            }
        }
        return Optional.empty();
    }
}
