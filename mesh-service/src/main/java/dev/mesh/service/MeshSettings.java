package dev.mesh.service;

import dev.mesh.sdk.Mesh;
import dev.mesh.sdk.ProductStreams;
import dev.mesh.sdk.encryption.DataKeys;
import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.context.exceptions.ConfigurationException;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The mesh's own settings of a service ({@code mesh.*}), one name each, typed and checked when the service starts: a
 * value that does not fit stops it with the key and the value. Each is set in yml, as a system property or in the
 * environment ({@code MESH_PROVISION=apply}, {@code MESH_REPLICATION_FACTOR=3}, {@code MESH_ROCKSDB_MEMORY_BYTES}, ...),
 * since Micronaut resolves a variable for every name it binds here. Streams' own settings ({@code mesh.streams.*}, under
 * Kafka's names) pass through as they are ({@link MeshFactory}).
 */
@ConfigurationProperties("mesh")
public class MeshSettings {
    private String domain;
    private String app;
    private String instance;
    private String provision = "require";
    private String clock;
    private Replication replication = new Replication();
    private Encryption encryption = new Encryption();
    private Rocksdb rocksdb = new Rocksdb();

    /** {@code mesh.domain}: the domain this service runs ({@link DomainService} sets it from {@code MESH_DOMAIN}). */
    public String getDomain() {
        return domain;
    }

    public void setDomain(String domain) {
        this.domain = domain;
    }

    /** {@code mesh.app}: this program's name in the catalog (default: {@code micronaut.application.name}). */
    public String getApp() {
        return app;
    }

    public void setApp(String app) {
        this.app = app;
    }

    /** {@code mesh.instance}: this instance's stable, unique name, see {@link Mesh#INSTANCE} (default: none, dynamic members). */
    public String getInstance() {
        return instance;
    }

    public void setInstance(String instance) {
        this.instance = instance;
    }

    /** {@code mesh.provision}: {@code require} (the default) or {@code apply}, see {@link Mesh}. */
    public String getProvision() {
        return provision;
    }

    public void setProvision(String provision) {
        this.provision = provision;
    }

    /** {@code mesh.clock}: {@code fixed:<instant>} for tests; else the system clock. */
    public String getClock() {
        return clock;
    }

    public void setClock(String clock) {
        this.clock = clock;
    }

    public Replication getReplication() {
        return replication;
    }

    public void setReplication(Replication replication) {
        this.replication = replication;
    }

    public Encryption getEncryption() {
        return encryption;
    }

    public void setEncryption(Encryption encryption) {
        this.encryption = encryption;
    }

    public Rocksdb getRocksdb() {
        return rocksdb;
    }

    public void setRocksdb(Rocksdb rocksdb) {
        this.rocksdb = rocksdb;
    }

    /** {@code mesh.replication.factor}: replicas of the topics the SDK creates (default min(3, brokers)). */
    @ConfigurationProperties("replication")
    public static class Replication {
        private String factor;

        public String getFactor() {
            return factor;
        }

        public void setFactor(String factor) {
            this.factor = factor;
        }
    }

    /** {@code mesh.encryption.key-ttl}: how long a data key decrypts after its grant is revoked (seconds or ISO-8601). */
    @ConfigurationProperties("encryption")
    public static class Encryption {
        private String keyTtl;

        public String getKeyTtl() {
            return keyTtl;
        }

        public void setKeyTtl(String keyTtl) {
            this.keyTtl = keyTtl;
        }
    }

    /** {@code mesh.rocksdb.memory.bytes}: the one RocksDB memory budget of the service's Streams apps. */
    @ConfigurationProperties("rocksdb")
    public static class Rocksdb {
        private Memory memory = new Memory();

        public Memory getMemory() {
            return memory;
        }

        public void setMemory(Memory memory) {
            this.memory = memory;
        }

        @ConfigurationProperties("memory")
        public static class Memory {
            private String bytes;

            public String getBytes() {
                return bytes;
            }

            public void setBytes(String bytes) {
                this.bytes = bytes;
            }
        }
    }

    /**
     * The settings as the SDK takes them, each checked: values are read as text and typed here, so that a wrong one
     * is refused with its key and value rather than a converter's words.
     *
     * @throws ConfigurationException naming the key and the value that do not fit
     */
    public Map<String, Object> toSdk() {
        Map<String, Object> sdk = new LinkedHashMap<>();
        if (domain != null) {
            if (!domain.matches(dev.mesh.sdk.contract.DomainDescriptor.NAME)) {
                throw refused(DomainService.DOMAIN, domain, "a domain's name: lower-case letters and digits");
            }
            sdk.put(DomainService.DOMAIN, domain);
        }
        if (app != null) {
            sdk.put(Mesh.APP, app);
        }
        if (instance != null && !instance.isBlank()) {
            if (!instance.matches(Mesh.INSTANCE_NAME)) {
                throw refused(Mesh.INSTANCE, instance, Mesh.INSTANCE_EXPECTED);
            }
            sdk.put(Mesh.INSTANCE, instance);
        }
        String mode = provision == null ? "require" : provision.trim();
        if (!mode.equals("require") && !mode.equals("apply")) {
            throw refused(Mesh.PROVISION, provision, "require (the default) or apply");
        }
        sdk.put(Mesh.PROVISION, mode);
        if (clock != null) {
            try {
                if (!clock.startsWith("fixed:")) {
                    throw new DateTimeParseException("no fixed: prefix", clock, 0);
                }
                Instant.parse(clock.substring("fixed:".length()));
            } catch (DateTimeParseException e) {
                throw refused("mesh.clock", clock, "fixed:<instant>, e.g. fixed:2027-01-01T00:00:00Z");
            }
            sdk.put("mesh.clock", clock);
        }
        if (replication.getFactor() != null) {
            sdk.put("mesh.replication.factor", Short.toString((short) whole("mesh.replication.factor", replication.getFactor(), 1, Short.MAX_VALUE)));
        }
        if (encryption.getKeyTtl() != null) {
            String ttl = encryption.getKeyTtl().trim();
            try {
                Duration keep = ttl.startsWith("P") ? Duration.parse(ttl) : Duration.ofSeconds(Long.parseLong(ttl));
                if (keep.isNegative()) {
                    throw new NumberFormatException();
                }
            } catch (RuntimeException e) {
                throw refused(DataKeys.TTL, ttl, "seconds or an ISO-8601 duration such as PT1M, not negative");
            }
            sdk.put(DataKeys.TTL, ttl);
        }
        if (rocksdb.getMemory().getBytes() != null) {
            sdk.put(ProductStreams.ROCKSDB_MEMORY_BYTES, Long.toString(whole(ProductStreams.ROCKSDB_MEMORY_BYTES,
                    rocksdb.getMemory().getBytes(), 1, Long.MAX_VALUE)));
        }
        return sdk;
    }

    private static long whole(String key, String value, long min, long max) {
        try {
            long n = Long.parseLong(value.trim());
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw refused(key, value, "a whole number from " + min + (max == Long.MAX_VALUE ? " up" : " to " + max));
    }

    private static ConfigurationException refused(String key, String value, String expected) {
        return new ConfigurationException(key + " is '" + value + "': expected " + expected);
    }
}
