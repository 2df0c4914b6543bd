package dev.acmejx.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import org.junit.jupiter.api.Test;

class KeySpecTest {

    @Test
    void ecdsaP384KeyHasThatCurve() throws Exception {
        ECPublicKey key = (ECPublicKey) KeySpec.of("ECDSA", "secp384r1", 2048).generate().getPublic();
        assertEquals(384, key.getParams().getCurve().getField().getFieldSize());
    }

    @Test
    void rsaKeyHasTheAskedSize() throws Exception {
        RSAPublicKey key = (RSAPublicKey) KeySpec.of("rsa", "secp256r1", 3072).generate().getPublic();
        assertEquals(3072, key.getModulus().bitLength());
    }

    @Test
    void badValuesNameTheOptionAndTheChoices() {
        assertTrue(assertThrows(AcmejxException.class, () -> KeySpec.of("dsa", "secp256r1", 2048)).getMessage()
                .contains("--key-type 'dsa'"));
        assertTrue(assertThrows(AcmejxException.class, () -> KeySpec.of("ecdsa", "secp521r1", 2048)).getMessage()
                .contains("secp256r1 or secp384r1"));
        assertTrue(assertThrows(AcmejxException.class, () -> KeySpec.of("rsa", "secp256r1", 1024)).getMessage()
                .contains("--rsa-key-size 1024"));
    }
}
