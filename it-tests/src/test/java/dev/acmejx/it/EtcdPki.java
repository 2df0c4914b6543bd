package dev.acmejx.it;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A throwaway CA and the certificates signed by it for a TLS test of etcd, made with the openssl command as an
 * operator makes them, so acmejx is tested against files it did not write. Every certificate lives for a day; the
 * files are in the caller's temp dir and go with it. Each extension comes from a file written here, never from the
 * machine's openssl.cnf, so another machine's defaults cannot change what is tested.
 */
final class EtcdPki {

    /**
     * The ways openssl writes a client's private key, and so the PEM a user hands to {@code --etcd-key}. The
     * first line of each is what a test checks the file starts with, so that it proves the form it names.
     */
    enum KeyForm {
        /** {@code openssl req -newkey ec}: PKCS#8, openssl 3's default for every new key. */
        EC_PKCS8("-----BEGIN PRIVATE KEY-----"),
        /** {@code openssl req -newkey rsa:2048}: PKCS#8 too. */
        RSA_PKCS8("-----BEGIN PRIVATE KEY-----"),
        /** {@code openssl pkey -traditional}, and openssl 1.x's {@code genrsa}: PKCS#1. */
        RSA_PKCS1("-----BEGIN RSA PRIVATE KEY-----"),
        /**
         * {@code openssl ecparam -genkey}, the usual recipe for an EC key: an {@code EC PARAMETERS} block, then
         * the SEC1 key. etcdctl and curl skip the parameters; a reader that takes the first block finds no key.
         */
        EC_SEC1_WITH_PARAMETERS("-----BEGIN EC PARAMETERS-----");

        /** The first line of the key file. */
        final String firstLine;

        KeyForm(String firstLine) {
            this.firstLine = firstLine;
        }
    }

    /** A client's certificate and key, as {@code --etcd-cert} and {@code --etcd-key} take them. */
    record Client(Path cert, Path key) {
    }

    final Path caCert;
    final Path serverCert;
    final Path serverKey;
    private final Path dir;
    private final Path caKey;

    private EtcdPki(Path dir) {
        this.dir = dir;
        this.caCert = dir.resolve("ca.pem");
        this.caKey = dir.resolve("ca-key.pem");
        this.serverCert = dir.resolve("server.pem");
        this.serverKey = dir.resolve("server-key.pem");
    }

    /**
     * A CA, and a member certificate for 127.0.0.1 signed by it. The member's certificate says
     * {@code clientAuth} as well as {@code serverAuth}: etcd 3.4's JSON gateway connects to the member's own gRPC
     * port with that certificate as its client certificate, and with {@code --client-cert-auth} a certificate for
     * servers only is refused there, so every gateway request fails with 503 "connection closed".
     */
    static EtcdPki create(Path dir) throws Exception {
        EtcdPki pki = new EtcdPki(dir);
        Path csr = pki.request("ca", "acmejx-it etcd CA", KeyForm.EC_PKCS8);
        pki.sign(csr, pki.caCert, "ca", "basicConstraints=critical,CA:TRUE",
                "keyUsage=critical,keyCertSign,cRLSign");
        Path memberCsr = pki.request("server", "etcd member", KeyForm.EC_PKCS8);
        pki.sign(memberCsr, pki.serverCert, "server", "basicConstraints=critical,CA:FALSE",
                "subjectAltName=IP:127.0.0.1", "extendedKeyUsage=serverAuth,clientAuth");
        return pki;
    }

    /** A client certificate, signed by the CA, whose key is in {@code form}. */
    Client client(String name, KeyForm form) throws Exception {
        Path csr = request(name, "acmejx " + name, form);
        Path cert = dir.resolve(name + ".pem");
        sign(csr, cert, name, "basicConstraints=critical,CA:FALSE", "extendedKeyUsage=clientAuth");
        return new Client(cert, key(name));
    }

    /** The flags that make an etcd member serve TLS with this CA's certificate and ask every client for one. */
    List<String> memberFlags() {
        return List.of("--cert-file", serverCert.toString(), "--key-file", serverKey.toString(),
                "--trusted-ca-file", caCert.toString(), "--client-cert-auth");
    }

    private Path key(String name) {
        return dir.resolve(name + "-key.pem");
    }

    /** A new key for {@code name} in {@code form}, and a certificate request for it. */
    private Path request(String name, String commonName, KeyForm form) {
        Path key = key(name);
        Path csr = dir.resolve(name + ".csr");
        List<String> command = new ArrayList<>(List.of("req", "-new", "-nodes", "-subj", "/CN=" + commonName,
                "-out", csr.toString()));
        Path pkcs8 = form == KeyForm.RSA_PKCS1 ? dir.resolve(name + "-pkcs8-key.pem") : key;
        switch (form) {
            case EC_PKCS8 -> command.addAll(List.of("-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                    "-keyout", key.toString()));
            case RSA_PKCS8, RSA_PKCS1 -> command.addAll(List.of("-newkey", "rsa:2048", "-keyout", pkcs8.toString()));
            case EC_SEC1_WITH_PARAMETERS -> {
                openssl("ecparam", "-name", "prime256v1", "-genkey", "-out", key.toString());
                command.addAll(List.of("-key", key.toString()));
            }
        }
        openssl(command.toArray(String[]::new));
        if (form == KeyForm.RSA_PKCS1) {
            openssl("pkey", "-in", pkcs8.toString(), "-traditional", "-out", key.toString());
        }
        return csr;
    }

    /** Signs {@code csr} with the CA (itself, for the CA's own request) with exactly {@code extensions}. */
    private void sign(Path csr, Path cert, String name, String... extensions) throws Exception {
        Path extfile = dir.resolve(name + ".ext");
        Files.write(extfile, List.of(extensions));
        List<String> command = new ArrayList<>(List.of("x509", "-req", "-in", csr.toString(), "-days", "1",
                "-sha256", "-extfile", extfile.toString(), "-out", cert.toString()));
        if (cert.equals(caCert)) {
            command.addAll(List.of("-signkey", caKey.toString()));
        } else {
            command.addAll(List.of("-CA", caCert.toString(), "-CAkey", caKey.toString(), "-CAcreateserial"));
        }
        openssl(command.toArray(String[]::new));
    }

    private static void openssl(String... args) {
        List<String> command = new ArrayList<>(List.of("openssl"));
        command.addAll(List.of(args));
        Command.run(command.toArray(String[]::new)).assertSuccess();
    }
}
