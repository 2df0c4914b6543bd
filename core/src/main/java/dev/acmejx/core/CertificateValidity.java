package dev.acmejx.core;

import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Optional;

/**
 * The validity period of the first certificate in a PEM file, for {@code renew}'s decision. A twice-daily run
 * that finds nothing due must be cheap, and the JDK's CertificateFactory spends about 50 ms (provider set-up and
 * a full parse) to produce two dates; so the dates are read from the DER directly: five steps into the
 * TBSCertificate (RFC 5280 §4.1). Anything unexpected falls back to the JDK's parser, which also gives the
 * precise error for a broken file.
 *
 * @param notBefore the start of the validity period
 * @param notAfter the end of the validity period
 */
record CertificateValidity(Instant notBefore, Instant notAfter) {

    private static final String BEGIN = "-----BEGIN CERTIFICATE-----";
    private static final String END = "-----END CERTIFICATE-----";

    static CertificateValidity read(byte[] pem) throws CertificateException {
        Optional<CertificateValidity> direct = fromDer(pem);
        if (direct.isPresent()) {
            return direct.get();
        }
        X509Certificate certificate = Pem.firstCertificate(pem);
        return new CertificateValidity(certificate.getNotBefore().toInstant(), certificate.getNotAfter().toInstant());
    }

    /** The direct read alone: empty for anything it does not recognise. */
    static Optional<CertificateValidity> fromDer(byte[] pem) {
        try {
            Der tbs = new Der(der(pem)).enter(0x30).enter(0x30);
            if (tbs.peek() == 0xa0) {
                tbs.skip();
            }
            tbs.skip();
            tbs.skip();
            tbs.skip();
            Der validity = tbs.enter(0x30);
            return Optional.of(new CertificateValidity(validity.time(), validity.time()));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    private static byte[] der(byte[] pem) {
        String text = new String(pem, StandardCharsets.US_ASCII);
        int begin = text.indexOf(BEGIN);
        int end = text.indexOf(END, begin);
        if (begin < 0 || end < 0) {
            throw new IllegalArgumentException("no PEM certificate block");
        }
        return Base64.getMimeDecoder().decode(text.substring(begin + BEGIN.length(), end));
    }

    /** A cursor over DER elements: tag, length, contents. Throws on anything it does not expect. */
    private static final class Der {

        private final byte[] bytes;
        private int position;
        private final int limit;

        Der(byte[] bytes) {
            this(bytes, 0, bytes.length);
        }

        private Der(byte[] bytes, int position, int limit) {
            this.bytes = bytes;
            this.position = position;
            this.limit = limit;
        }

        int peek() {
            if (position >= limit) {
                throw new IllegalArgumentException("DER ends early");
            }
            return bytes[position] & 0xff;
        }

        /** The contents of the next element, which must have {@code tag}; the cursor moves past it. */
        Der enter(int tag) {
            if (peek() != tag) {
                throw new IllegalArgumentException("unexpected DER tag " + peek());
            }
            position++;
            int length = length();
            Der inner = new Der(bytes, position, position + length);
            position += length;
            return inner;
        }

        void skip() {
            enter(peek());
        }

        Instant time() {
            int tag = peek();
            Der value = enter(tag);
            String text = new String(bytes, value.position, value.limit - value.position, StandardCharsets.US_ASCII);
            if (!text.endsWith("Z")) {
                throw new IllegalArgumentException("not a UTC time: " + text);
            }
            // UTCTime YYMMDDHHMMSSZ (RFC 5280 §4.1.2.5.1: YY 50-99 is 19YY) or GeneralizedTime YYYYMMDDHHMMSSZ.
            int yearDigits = switch (tag) {
                case 0x17 -> 2;
                case 0x18 -> 4;
                default -> throw new IllegalArgumentException("not a Time: tag " + tag);
            };
            if (text.length() != yearDigits + 11) {
                throw new IllegalArgumentException("not a plain UTC time: " + text);
            }
            int year = Integer.parseInt(text.substring(0, yearDigits));
            if (yearDigits == 2) {
                year += year >= 50 ? 1900 : 2000;
            }
            int at = yearDigits;
            return LocalDateTime.of(year, number(text, at), number(text, at + 2), number(text, at + 4),
                    number(text, at + 6), number(text, at + 8)).toInstant(ZoneOffset.UTC);
        }

        private static int number(String text, int at) {
            return Integer.parseInt(text.substring(at, at + 2));
        }

        private int length() {
            int first = bytes[position++] & 0xff;
            if (first < 0x80) {
                return check(first);
            }
            int count = first & 0x7f;
            if (count == 0 || count > 3) {
                throw new IllegalArgumentException("unsupported DER length");
            }
            int length = 0;
            for (int i = 0; i < count; i++) {
                length = (length << 8) | (bytes[position++] & 0xff);
            }
            return check(length);
        }

        private int check(int length) {
            if (position + length > limit) {
                throw new IllegalArgumentException("DER element runs past its container");
            }
            return length;
        }
    }
}
