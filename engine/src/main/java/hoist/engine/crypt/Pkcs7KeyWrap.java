package hoist.engine.crypt;

import hoist.engine.HoistException;

import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cms.CMSAlgorithm;
import org.bouncycastle.cms.CMSEnvelopedData;
import org.bouncycastle.cms.CMSEnvelopedDataGenerator;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.jcajce.JceCMSContentEncryptorBuilder;
import org.bouncycastle.cms.jcajce.JceKeyTransRecipientInfoGenerator;

import java.io.IOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.interfaces.RSAPrivateKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

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
     * (recipients are matched by the serial numbers of {@code certificates} where given, else
     * every key is tried). The envelope is read with a lenient reader of its own: the envelopes
     * Go's PKCS#7 library writes for ocicrypt encode the AES-GCM parameters as a primitive
     * SEQUENCE, which strict DER readers refuse.
     *
     * @return empty when none is
     * @throws HoistException when the packet is not an EnvelopedData
     */
    static Optional<byte[]> unwrap(byte[] packet, List<PrivateKey> keys, List<X509CertificateHolder> certificates,
                                   List<String> errors) {
        Envelope envelope;
        try {
            envelope = Envelope.parse(packet);
        } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
            throw new HoistException("the pkcs7 wrapped key is not a valid PKCS#7 envelope: " + e.getMessage(), e);
        }
        for (Envelope.Recipient recipient : envelope.recipients()) {
            if (!certificates.isEmpty() && certificates.stream().noneMatch(c -> c.getSerialNumber().equals(recipient.serial()))) {
                continue;
            }
            for (PrivateKey key : keys) {
                if (!(key instanceof RSAPrivateKey)) {
                    continue;
                }
                try {
                    Cipher rsa = Cipher.getInstance("RSA/ECB/PKCS1Padding");
                    rsa.init(Cipher.DECRYPT_MODE, key);
                    byte[] contentKey = rsa.doFinal(recipient.encryptedKey());
                    return Optional.of(envelope.decrypt(contentKey));
                } catch (GeneralSecurityException | RuntimeException e) {
                    errors.add("pkcs7: " + e.getMessage());
                }
            }
        }
        return Optional.empty();
    }

    /** The parts of a ContentInfo holding an EnvelopedData that key transport to RSA keys needs. */
    private record Envelope(List<Recipient> recipients, String algorithm, byte[] parameters, byte[] content) {

        private static final String AES128_CBC = "2.16.840.1.101.3.4.1.2";
        private static final String AES256_CBC = "2.16.840.1.101.3.4.1.42";
        private static final String AES128_GCM = "2.16.840.1.101.3.4.1.6";
        private static final String AES256_GCM = "2.16.840.1.101.3.4.1.46";

        record Recipient(BigInteger serial, byte[] encryptedKey) {
        }

        static Envelope parse(byte[] der) {
            Tlv contentInfo = Tlv.read(der, 0);
            List<Tlv> ci = contentInfo.children();
            List<Tlv> enveloped = ci.get(1).children().get(0).children();
            List<Recipient> recipients = new ArrayList<>();
            for (Tlv info : enveloped.get(1).children()) {
                List<Tlv> parts = info.children();
                if (parts.get(1).tag() != 0x30) {
                    continue; // not identified by issuer and serial number: not a key transport recipient
                }
                BigInteger serial = new BigInteger(parts.get(1).children().get(1).value());
                recipients.add(new Recipient(serial, parts.get(3).value()));
            }
            List<Tlv> encrypted = enveloped.get(2).children();
            List<Tlv> algorithm = encrypted.get(1).children();
            String oid = oid(algorithm.get(0).value());
            byte[] parameters = algorithm.size() > 1 ? algorithm.get(1).value() : new byte[0];
            Tlv content = encrypted.get(2);
            byte[] bytes;
            if ((content.tag() & 0x20) != 0) {
                java.io.ByteArrayOutputStream joined = new java.io.ByteArrayOutputStream();
                content.children().forEach(c -> joined.writeBytes(c.value()));
                bytes = joined.toByteArray();
            } else {
                bytes = content.value();
            }
            return new Envelope(recipients, oid, parameters, bytes);
        }

        byte[] decrypt(byte[] contentKey) throws GeneralSecurityException {
            SecretKeySpec key = new SecretKeySpec(contentKey, "AES");
            switch (algorithm) {
                case AES128_CBC, AES256_CBC -> {
                    Cipher cbc = Cipher.getInstance("AES/CBC/PKCS5Padding");
                    cbc.init(Cipher.DECRYPT_MODE, key, new IvParameterSpec(parameters));
                    return cbc.doFinal(content);
                }
                case AES128_GCM, AES256_GCM -> {
                    // GCMParameters ::= SEQUENCE { nonce OCTET STRING, icvLen INTEGER DEFAULT 12 }
                    List<Tlv> gcm = Tlv.all(parameters);
                    if (!gcm.isEmpty() && gcm.get(0).tag() == 0x30) {
                        gcm = gcm.get(0).children(); // Go's library wraps the encoded SEQUENCE in another
                    }
                    int tagBytes = gcm.size() > 1 ? new BigInteger(gcm.get(1).value()).intValueExact() : 12;
                    Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
                    cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(tagBytes * 8, gcm.get(0).value()));
                    return cipher.doFinal(content);
                }
                default -> throw new GeneralSecurityException("content encryption " + algorithm + " is not supported");
            }
        }

        private static String oid(byte[] der) {
            StringBuilder text = new StringBuilder();
            text.append(der[0] / 40).append('.').append(der[0] % 40);
            long value = 0;
            for (int i = 1; i < der.length; i++) {
                value = (value << 7) | (der[i] & 0x7f);
                if ((der[i] & 0x80) == 0) {
                    text.append('.').append(value);
                    value = 0;
                }
            }
            return text.toString();
        }
    }

    /** One BER/DER element with a definite length: its tag byte and its content. */
    private record Tlv(int tag, byte[] value, int end) {

        static Tlv read(byte[] bytes, int offset) {
            int tag = bytes[offset] & 0xff;
            if ((tag & 0x1f) == 0x1f) {
                throw new IllegalArgumentException("multi-byte ASN.1 tags are not expected here");
            }
            int position = offset + 1;
            int first = bytes[position++] & 0xff;
            int length;
            if (first < 0x80) {
                length = first;
            } else if (first == 0x80) {
                throw new IllegalArgumentException("indefinite ASN.1 lengths are not supported");
            } else {
                int count = first & 0x7f;
                if (count > 3) {
                    throw new IllegalArgumentException("ASN.1 length too large");
                }
                length = 0;
                for (int i = 0; i < count; i++) {
                    length = (length << 8) | (bytes[position++] & 0xff);
                }
            }
            if (position + length > bytes.length) {
                throw new IllegalArgumentException("truncated ASN.1 element");
            }
            return new Tlv(tag, java.util.Arrays.copyOfRange(bytes, position, position + length), position + length);
        }

        static List<Tlv> all(byte[] bytes) {
            List<Tlv> items = new ArrayList<>();
            int offset = 0;
            while (offset < bytes.length) {
                Tlv item = read(bytes, offset);
                items.add(item);
                offset = item.end();
            }
            return items;
        }

        /** The elements inside, whether or not the constructed bit was set. */
        List<Tlv> children() {
            return all(value);
        }
    }
}
