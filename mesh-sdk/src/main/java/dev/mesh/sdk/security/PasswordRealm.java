package dev.mesh.sdk.security;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The principals HTTP services accept with basic auth, from a properties file like Jetty's and Confluent's
 * realms: {@code <user>=sha256:<salt>:<hash>,<role>,<role>}. It holds no secret, only salted hashes of them, and
 * is read again when it changes, so credentials created after a service started are accepted.
 *
 * <p>A fast salted hash suffices because the mesh's secrets are 256 random bits, never words a person chose: a
 * slow key derivation would add its cost to every request without making a guess any likelier.
 */
public final class PasswordRealm {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path file;
    private volatile Loaded loaded = new Loaded(null, Map.of(), 0);

    private record Entry(byte[] salt, byte[] hash, Set<String> roles) {
    }

    private record Loaded(FileTime modified, Map<String, Entry> entries, long checkedNanos) {
    }

    /** How often the file is looked at again: a request should not cost a file-system call. */
    private static final long RECHECK_NANOS = 1_000_000_000L;

    private PasswordRealm(Path file) {
        this.file = file;
    }

    public static PasswordRealm at(Path file) {
        return new PasswordRealm(file);
    }

    /** The user's roles when the password is the user's, else empty. */
    public Optional<Set<String>> authenticate(String user, String password) {
        Entry entry = entries().get(user);
        if (entry == null || password == null) {
            return Optional.empty();
        }
        byte[] actual = hash(entry.salt(), password);
        return MessageDigest.isEqual(actual, entry.hash()) ? Optional.of(entry.roles()) : Optional.empty();
    }

    /** The line for one user, as {@link CredentialStore} writes it. */
    static String entry(String secret, Set<String> roles) {
        byte[] salt = new byte[16];
        RANDOM.nextBytes(salt);
        Base64.Encoder b64 = Base64.getEncoder();
        return "sha256:" + b64.encodeToString(salt) + ":" + b64.encodeToString(hash(salt, secret))
                + (roles.isEmpty() ? "" : "," + String.join(",", roles));
    }

    private Map<String, Entry> entries() {
        Loaded current = loaded;
        long now = System.nanoTime();
        if (current.modified() != null && now - current.checkedNanos() < RECHECK_NANOS) {
            return current.entries();
        }
        try {
            FileTime modified = Files.getLastModifiedTime(file);
            current = new Loaded(modified, modified.equals(current.modified()) ? current.entries() : read(), now);
            loaded = current;
            return current.entries();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the realm " + file + ": " + e.getMessage(), e);
        }
    }

    private Map<String, Entry> read() throws IOException {
        Properties props = new Properties();
        try (Reader in = Files.newBufferedReader(file)) {
            props.load(in);
        }
        Map<String, Entry> entries = new ConcurrentHashMap<>();
        Base64.Decoder b64 = Base64.getDecoder();
        for (String user : props.stringPropertyNames()) {
            String[] parts = props.getProperty(user).split(",");
            String[] hash = parts[0].trim().split(":");
            if (hash.length != 3 || !hash[0].equals("sha256")) {
                throw new IllegalStateException("realm " + file + ": the entry of '" + user
                        + "' is not sha256:<salt>:<hash>[,role...]");
            }
            Set<String> roles = new LinkedHashSet<>();
            Arrays.stream(parts).skip(1).map(String::trim).filter(r -> !r.isEmpty()).forEach(roles::add);
            entries.put(user, new Entry(b64.decode(hash[1]), b64.decode(hash[2]), Set.copyOf(roles)));
        }
        return entries;
    }

    private static byte[] hash(byte[] salt, String secret) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(salt);
            return digest.digest(secret.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
