package dev.acmejx.core;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.Locale;
import java.util.Set;

/**
 * The certificate key to generate, in certbot's terms: {@code --key-type ecdsa|rsa} with
 * {@code --elliptic-curve} or {@code --rsa-key-size}. Every issuance gets a fresh key.
 */
public record KeySpec(String type, String curve, int rsaBits) {

    public static final String ECDSA = "ecdsa";
    public static final String RSA = "rsa";
    private static final Set<String> CURVES = Set.of("secp256r1", "secp384r1");
    private static final Set<Integer> RSA_SIZES = Set.of(2048, 3072, 4096);

    /** certbot's default since 2.0, and acmejx's: small, fast, and supported by every ACME CA. */
    public static final KeySpec DEFAULT = new KeySpec(ECDSA, "secp256r1", 2048);
    /** What acmejx registers accounts with. */
    public static final KeySpec ACCOUNT = DEFAULT;

    /** Validates the combination; the message names the bad value and the accepted ones. */
    public static KeySpec of(String type, String curve, int rsaBits) throws AcmejxException {
        String t = type.toLowerCase(Locale.ROOT);
        if (!t.equals(ECDSA) && !t.equals(RSA)) {
            throw new AcmejxException("invalid --key-type '" + type + "': use ecdsa or rsa");
        }
        String c = curve.toLowerCase(Locale.ROOT);
        if (!CURVES.contains(c)) {
            throw new AcmejxException("invalid --elliptic-curve '" + curve + "': use secp256r1 or secp384r1");
        }
        if (!RSA_SIZES.contains(rsaBits)) {
            throw new AcmejxException("invalid --rsa-key-size " + rsaBits + ": use 2048, 3072 or 4096");
        }
        return new KeySpec(t, c, rsaBits);
    }

    /** A fresh key pair from the JDK's own providers (no BouncyCastle provider needs registering). */
    public KeyPair generate() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance(type.equals(ECDSA) ? "EC" : "RSA");
            if (type.equals(ECDSA)) {
                generator.initialize(new ECGenParameterSpec(curve));
            } else {
                generator.initialize(rsaBits);
            }
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JVM cannot generate " + describe() + " keys", e);
        }
    }

    /** For log lines: {@code ecdsa secp256r1} or {@code rsa 3072}. */
    public String describe() {
        return type.equals(ECDSA) ? type + " " + curve : type + " " + rsaBits;
    }
}
