package dev.mesh.sdk.security;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;

/**
 * The mesh's credentials in a directory ({@code .mesh/credentials} for {@code mesh up}): per principal a
 * {@code <user>.properties} any Kafka tool takes as {@code --command-config} (the registry's basic auth included,
 * as Confluent's clients name it), a {@code <user>.kcat.conf} for kcat's {@code -F}, a {@code <user>.micronaut.properties}
 * a service of the mesh takes as {@code MICRONAUT_CONFIG_FILES} (the same, as {@code kafka.*}); and {@code realm.properties},
 * the salted hashes the HTTP services check basic auth against. Files are readable by their owner only. A secret
 * is made once, at random, and kept: a restarted mesh finds the same principals.
 */
public final class CredentialStore {
    public static final String REALM = "realm.properties";
    /** The registry's setting for the mesh's local KMS secret, from which its shared KEKs are derived. */
    public static final String ENCRYPTION_SECRET = "registry.encryption.secret";
    private static final String LOCAL_KMS_SECRET = "local-kms.secret";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path dir;

    private CredentialStore(Path dir) {
        this.dir = dir;
    }

    public static CredentialStore at(Path dir) {
        return new CredentialStore(dir);
    }

    public Path dir() {
        return dir;
    }

    public Path realm() {
        return dir.resolve(REALM);
    }

    /** {@code <user>.properties}: the client settings of the principal. */
    public Path clientProperties(String user) {
        return dir.resolve(user + ".properties");
    }

    public Optional<MeshCredentials> find(String user) {
        Path file = clientProperties(user);
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        Properties props = read(file);
        String info = props.getProperty("basic.auth.user.info", "");
        int colon = info.indexOf(':');
        if (colon < 0 || !info.substring(0, colon).equals(user)) {
            throw new IllegalStateException(file + " has no basic.auth.user.info for " + user);
        }
        return Optional.of(new MeshCredentials(user, info.substring(colon + 1)));
    }

    /** The principal's credentials, made now with a random secret if it has none, with these roles in the realm. */
    public synchronized MeshCredentials ensure(String user, Set<String> roles) {
        MeshCredentials credentials = find(user).orElseGet(() -> new MeshCredentials(user, newSecret()));
        try {
            Files.createDirectories(dir);
            writePrivate(clientProperties(user), properties(credentials.clientProperties()));
            Map<String, Object> service = new java.util.LinkedHashMap<>();
            credentials.kafkaProperties().forEach((k, v) -> service.put("kafka." + k, v));
            service.putAll(credentials.registryProperties());
            if (user.equals(MeshPrincipals.REGISTRY)) {
                service.put(ENCRYPTION_SECRET, localKmsSecret());
            }
            writePrivate(dir.resolve(user + ".micronaut.properties"), properties(service));
            writePrivate(dir.resolve(user + ".kcat.conf"), "security.protocol=sasl_plaintext\n"
                    + "sasl.mechanisms=" + MeshCredentials.MECHANISM + "\nsasl.username=" + user
                    + "\nsasl.password=" + credentials.secret() + "\n");
            Properties realm = Files.exists(realm()) ? read(realm()) : new Properties();
            realm.setProperty(user, PasswordRealm.entry(credentials.secret(), roles));
            Map<String, String> sorted = new TreeMap<>();
            realm.stringPropertyNames().forEach(name -> sorted.put(name, realm.getProperty(name)));
            StringBuilder text = new StringBuilder("# user=sha256:<salt>:<hash>,roles (hashes only; secrets are in <user>.properties)\n");
            sorted.forEach((name, value) -> text.append(name).append('=').append(value).append('\n'));
            writePrivate(realm(), text.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write credentials under " + dir + ": " + e.getMessage(), e);
        }
        return credentials;
    }

    /**
     * The mesh's local KMS secret (Confluent's {@code local-kms}): the registry derives its shared KEKs from it, so
     * whoever holds it can unwrap every data key. Made once per mesh, readable by its owner only.
     */
    public synchronized String localKmsSecret() {
        Path file = dir.resolve(LOCAL_KMS_SECRET);
        try {
            if (Files.exists(file)) {
                return Files.readString(file).trim();
            }
            Files.createDirectories(dir);
            String secret = newSecret();
            writePrivate(file, secret + "\n");
            return secret;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep the local KMS secret under " + dir + ": " + e.getMessage(), e);
        }
    }

    private static String newSecret() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static String properties(Map<String, Object> values) {
        StringBuilder text = new StringBuilder();
        values.forEach((k, v) -> text.append(k).append('=').append(v).append('\n'));
        return text.toString();
    }

    /** Written beside and moved into place, so a reader never sees half a file. */
    private static void writePrivate(Path file, String text) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, text);
        try {
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: its default permissions apply
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static Properties read(Path file) {
        Properties props = new Properties();
        try (Reader in = Files.newBufferedReader(file)) {
            props.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
        return props;
    }
}
