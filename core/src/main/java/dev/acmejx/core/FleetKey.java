package dev.acmejx.core;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Set;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The fleet's secret: 32 random bytes in a 0600 file, the same on every node. Every private key that goes into etcd
 * is sealed with it (AES-256-GCM, a fresh random nonce, the etcd key's path as associated data, so a sealed value
 * copied to another key does not open), which is why an etcd backup holds no usable private key.
 */
public final class FleetKey {

    static final int LENGTH = 32;
    private static final int NONCE = 12;
    private static final int TAG_BITS = 128;
    private static final byte FORMAT = 1;
    private static final Set<PosixFilePermission> OTHERS = Set.of(PosixFilePermission.GROUP_READ,
            PosixFilePermission.GROUP_WRITE, PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE);

    private final SecretKeySpec key;
    private final Path file;
    private final SecureRandom random = new SecureRandom();

    FleetKey(byte[] bytes, Path file) {
        this.key = new SecretKeySpec(bytes, "AES");
        this.file = file;
    }

    /** @throws AcmejxException when the file is missing, readable by others, or not exactly 32 bytes */
    public static FleetKey read(Path file) throws AcmejxException {
        byte[] bytes;
        try {
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
            if (perms.stream().anyMatch(OTHERS::contains)) {
                throw new AcmejxException("the fleet key " + file + " is readable or writable by others; "
                        + "`chmod 600 " + file + "` (it decrypts every private key in the fleet)");
            }
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            String why = e instanceof NoSuchFileException ? "there is no such file" : e.getMessage();
            throw new AcmejxException("cannot read the fleet key " + file + ": " + why + "; make one with "
                    + "`head -c 32 /dev/urandom > " + file + " && chmod 600 " + file + "` and copy it to every node", e);
        }
        if (bytes.length != LENGTH) {
            throw new AcmejxException("the fleet key " + file + " has " + bytes.length + " bytes, not " + LENGTH
                    + "; make one with `head -c 32 /dev/urandom > " + file + "`, the same file on every node");
        }
        return new FleetKey(bytes, file);
    }

    /** @param path the etcd key the sealed value is stored under */
    byte[] seal(String path, byte[] plain) {
        byte[] nonce = new byte[NONCE];
        random.nextBytes(nonce);
        try {
            Cipher cipher = cipher(Cipher.ENCRYPT_MODE, nonce, path);
            byte[] sealed = cipher.doFinal(plain);
            return ByteBuffer.allocate(1 + NONCE + sealed.length).put(FORMAT).put(nonce).put(sealed).array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is part of every JDK", e);
        }
    }

    /** @throws AcmejxException when the value was sealed with another key, or for another path, or was altered */
    byte[] open(String path, byte[] sealed) throws AcmejxException {
        if (sealed.length < 1 + NONCE || sealed[0] != FORMAT) {
            throw new AcmejxException(path + " in etcd is not a value sealed by acmejx");
        }
        try {
            Cipher cipher = cipher(Cipher.DECRYPT_MODE, Arrays.copyOfRange(sealed, 1, 1 + NONCE), path);
            return cipher.doFinal(sealed, 1 + NONCE, sealed.length - 1 - NONCE);
        } catch (GeneralSecurityException e) {
            throw new AcmejxException("cannot decrypt " + path + " with the fleet key " + file + ": every node needs "
                    + "the same --fleet-key file", e);
        }
    }

    private Cipher cipher(int mode, byte[] nonce, String path) throws GeneralSecurityException {
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(mode, key, new GCMParameterSpec(TAG_BITS, nonce));
        cipher.updateAAD(path.getBytes(StandardCharsets.UTF_8));
        return cipher;
    }
}
