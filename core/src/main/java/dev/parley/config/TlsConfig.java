package dev.parley.config;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Collection;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * TLS for the standalone server: {@code PARLEY_TLS_CERT} (a PEM file with the certificate,
 * then any intermediates) and {@code PARLEY_TLS_KEY} (its private key, PEM "BEGIN PRIVATE
 * KEY", PKCS#8 unencrypted, RSA or EC), read and checked at start-up: a missing or
 * unreadable file, a key in another format, or a key that is not the certificate's stops
 * it with one line. In the WAR TLS is the application server's (server-config/).
 *
 * @param cert    the certificate file, for the start-up line
 * @param subject the certificate's subject, for the start-up line
 * @param context the server's SSLContext with that key and chain
 */
public record TlsConfig(Path cert, String subject, SSLContext context) {
    /** Null when neither setting is there: plain HTTP. */
    static TlsConfig from(Settings s) {
        String cert = s.optional("PARLEY_TLS_CERT");
        String key = s.optional("PARLEY_TLS_KEY");
        if ((cert == null || cert.isBlank()) && (key == null || key.isBlank())) {
            return null;
        }
        if (cert == null || cert.isBlank() || key == null || key.isBlank()) {
            throw new ConfigException("TLS needs both PARLEY_TLS_CERT and PARLEY_TLS_KEY");
        }
        return load(Path.of(cert.strip()), Path.of(key.strip()));
    }

    static TlsConfig load(Path certFile, Path keyFile) {
        Certificate[] chain = chain(certFile);
        PrivateKey key = privateKey(keyFile);
        if (!matches(key, (X509Certificate) chain[0])) {
            throw new ConfigException("PARLEY_TLS_KEY: " + keyFile + " is not the private key of the certificate in "
                    + certFile);
        }
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            char[] password = new char[0];
            store.setKeyEntry("parley", key, password, chain);
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(store, password);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys.getKeyManagers(), null, null);
            return new TlsConfig(certFile, ((X509Certificate) chain[0]).getSubjectX500Principal().getName(), context);
        } catch (GeneralSecurityException | IOException e) {
            throw new ConfigException("TLS: cannot use " + certFile + " and " + keyFile + " (" + e.getMessage() + ")");
        }
    }

    private static Certificate[] chain(Path file) {
        byte[] pem = PemFiles.read("PARLEY_TLS_CERT", file);
        try {
            Collection<? extends Certificate> certificates = CertificateFactory.getInstance("X.509")
                    .generateCertificates(new ByteArrayInputStream(pem));
            if (certificates.isEmpty()) {
                throw new ConfigException("PARLEY_TLS_CERT: " + file + " holds no certificate");
            }
            return certificates.toArray(new Certificate[0]);
        } catch (GeneralSecurityException e) {
            throw new ConfigException("PARLEY_TLS_CERT: " + file + " holds no PEM certificate (" + e.getMessage() + ")");
        }
    }

    private static PrivateKey privateKey(Path file) {
        byte[] der = PemFiles.block(PemFiles.read("PARLEY_TLS_KEY", file), "PRIVATE KEY");
        if (der == null) {
            throw new ConfigException("PARLEY_TLS_KEY: " + file + " holds no \"BEGIN PRIVATE KEY\" block (an unencrypted"
                    + " PKCS#8 key; openssl pkcs8 -topk8 -nocrypt -in key.pem converts one)");
        }
        PrivateKey key = PemFiles.rsaOrEc(der, (factory, bytes) -> factory.generatePrivate(new PKCS8EncodedKeySpec(bytes)));
        if (key == null) {
            throw new ConfigException("PARLEY_TLS_KEY: " + file + " is neither an RSA nor an EC private key");
        }
        return key;
    }

    /** Whether the key signs what the certificate's public key verifies. */
    private static boolean matches(PrivateKey key, X509Certificate cert) {
        String algorithm = "RSA".equals(key.getAlgorithm()) ? "SHA256withRSA" : "SHA256withECDSA";
        try {
            byte[] probe = "parley".getBytes(StandardCharsets.US_ASCII);
            Signature sign = Signature.getInstance(algorithm);
            sign.initSign(key);
            sign.update(probe);
            byte[] signature = sign.sign();
            Signature verify = Signature.getInstance(algorithm);
            verify.initVerify(cert.getPublicKey());
            verify.update(probe);
            return verify.verify(signature);
        } catch (GeneralSecurityException e) {
            return false; // another key type than the certificate's
        }
    }

    @Override
    public String toString() {
        return "TlsConfig[" + cert + ", " + subject + "]";
    }
}
