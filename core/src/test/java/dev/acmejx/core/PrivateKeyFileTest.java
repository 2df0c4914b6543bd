package dev.acmejx.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.Base64;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.sec.ECPrivateKey;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Keys as acmejx writes them and as certbot and openssl do, matched against the certificate's public key. */
class PrivateKeyFileTest {

    @TempDir
    Path dir;

    @Test
    void pkcs8KeyIsReadAndMatchesOnlyItsOwnPublicKey() throws Exception {
        KeyPair key = KeySpec.ACCOUNT.generate();
        Path file = dir.resolve("privkey.pem");
        Files.write(file, Pem.privateKey(key.getPrivate()));

        assertTrue(PrivateKeyFile.matches(PrivateKeyFile.read(file), key.getPublic()));
        assertFalse(PrivateKeyFile.matches(PrivateKeyFile.read(file), KeySpec.ACCOUNT.generate().getPublic()));
    }

    @Test
    void sec1EcKeyAsCertbotWritesItIsRead() throws Exception {
        KeyPair key = KeySpec.ACCOUNT.generate();
        // openssl's form: the curve and the public key inside the key itself (RFC 5915).
        byte[] sec1 = new ECPrivateKey(256, ((java.security.interfaces.ECPrivateKey) key.getPrivate()).getS(),
                SubjectPublicKeyInfo.getInstance(key.getPublic().getEncoded()).getPublicKeyData(),
                PrivateKeyInfo.getInstance(key.getPrivate().getEncoded()).getPrivateKeyAlgorithm().getParameters())
                .getEncoded();
        Path file = dir.resolve("privkey.pem");
        Files.writeString(file, "-----BEGIN EC PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(sec1)
                + "\n-----END EC PRIVATE KEY-----\n");

        assertTrue(PrivateKeyFile.matches(PrivateKeyFile.read(file), key.getPublic()));
    }

    @Test
    void rsaKeyNeverMatchesAnEcPublicKey() {
        KeyPair rsa = new KeySpec(KeySpec.RSA, "secp256r1", 2048).generate();
        assertFalse(PrivateKeyFile.matches(rsa.getPrivate(), KeySpec.ACCOUNT.generate().getPublic()));
        assertTrue(PrivateKeyFile.matches(rsa.getPrivate(), rsa.getPublic()));
    }

    @Test
    void fileWithoutAKeyIsAnError() throws Exception {
        Path file = dir.resolve("privkey.pem");
        Files.writeString(file, "hello\n");
        assertEquals("holds no unencrypted private key in PEM",
                assertThrows(IOException.class, () -> PrivateKeyFile.read(file)).getMessage());
    }
}
