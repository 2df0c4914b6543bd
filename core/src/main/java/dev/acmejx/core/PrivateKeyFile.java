package dev.acmejx.core;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

/**
 * A certificate's private key as a PEM file: the PKCS#8 {@code PRIVATE KEY} acmejx writes, and the
 * {@code EC PRIVATE KEY} / {@code RSA PRIVATE KEY} forms that certbot and openssl write.
 */
final class PrivateKeyFile {

    private PrivateKeyFile() {
    }

    static PrivateKey read(Path file) throws IOException {
        return parse(Files.readAllBytes(file));
    }

    /** The key of a PEM text, such as a version's {@code privkey} after it was opened with the fleet key. */
    static PrivateKey parse(byte[] pem) throws IOException {
        try (Reader reader = new StringReader(new String(pem, StandardCharsets.US_ASCII));
                PEMParser parser = new PEMParser(reader)) {
            Object parsed = parser.readObject();
            JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
            if (parsed instanceof PEMKeyPair pair) {
                return converter.getPrivateKey(pair.getPrivateKeyInfo());
            }
            if (parsed instanceof PrivateKeyInfo info) {
                return converter.getPrivateKey(info);
            }
            throw new IOException("holds no unencrypted private key in PEM");
        }
    }

    /**
     * Whether {@code key} is the private half of {@code publicKey}: it signs, and the public key verifies. Works
     * the same for every key form, where comparing encodings would depend on optional fields of the file.
     */
    static boolean matches(PrivateKey key, PublicKey publicKey) {
        String algorithm = switch (publicKey.getAlgorithm()) {
            case "EC" -> "SHA256withECDSA";
            case "RSA" -> "SHA256withRSA";
            default -> null;
        };
        if (algorithm == null || !key.getAlgorithm().equals(publicKey.getAlgorithm())) {
            return false;
        }
        try {
            byte[] probe = new byte[32];
            new SecureRandom().nextBytes(probe);
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(probe);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(publicKey);
            verifier.update(probe);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }
}
