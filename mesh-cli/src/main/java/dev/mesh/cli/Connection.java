package dev.mesh.cli;

import dev.mesh.sdk.Mesh;
import dev.mesh.sdk.ops.MeshOps;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

/**
 * Which mesh a command talks to: {@code --bootstrap} and {@code --registry}, else env {@code MESH_BOOTSTRAP} /
 * {@code KAFKA_BOOTSTRAP_SERVERS} and {@code SCHEMA_REGISTRY_URL}, else a properties file ({@code --config}, any
 * Kafka client property and {@code schema.registry.*}), else the local defaults. Credentials come from that file:
 * {@code --config}, else env {@code MESH_CONFIG}, else the admin's of a local mesh ({@code .mesh/credentials/admin.properties})
 * when there is one.
 */
final class Connection {
    @Option(names = {"-b", "--bootstrap"}, description = "Kafka bootstrap servers (default: env MESH_BOOTSTRAP, KAFKA_BOOTSTRAP_SERVERS, or localhost:9092)")
    String bootstrap;

    @Option(names = {"-r", "--registry"}, description = "Schema Registry URL (default: env SCHEMA_REGISTRY_URL, or http://localhost:8081)")
    String registry;

    static final Path LOCAL_ADMIN = Path.of(".mesh", "credentials", "admin.properties");
    /** Where {@code mesh up} leaves its web catalog's URL while it runs. */
    static final Path LOCAL_CATALOG = Path.of(".mesh", "catalog.url");

    @Option(names = "--config", description = "Properties file with Kafka client and schema.registry.* settings (TLS, SASL, basic auth);"
            + " default: env MESH_CONFIG, else .mesh/credentials/admin.properties if it exists")
    Path config;

    @Option(names = "--json", description = "Print JSON for scripts instead of tables")
    boolean json;

    Map<String, Object> properties() {
        Map<String, Object> p = new HashMap<>();
        Path config = this.config != null ? this.config
                : System.getenv("MESH_CONFIG") != null ? Path.of(System.getenv("MESH_CONFIG"))
                : Files.exists(LOCAL_ADMIN) ? LOCAL_ADMIN : null;
        if (config != null) {
            Properties file = new Properties();
            try (Reader in = Files.newBufferedReader(config)) {
                file.load(in);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read --config " + config + ": " + e.getMessage(), e);
            }
            file.forEach((k, v) -> p.put(k.toString(), v));
        }
        String b = first(bootstrap, System.getenv("MESH_BOOTSTRAP"), System.getenv("KAFKA_BOOTSTRAP_SERVERS"),
                (String) p.get("bootstrap.servers"), "localhost:9092");
        String r = first(registry, System.getenv("SCHEMA_REGISTRY_URL"), (String) p.get("schema.registry.url"), "http://localhost:8081");
        p.put("bootstrap.servers", b);
        p.put("schema.registry.url", r);
        p.put(Mesh.APP, "mesh-cli");
        // a down cluster should fail a command in seconds, not hang it
        p.putIfAbsent("default.api.timeout.ms", 15_000);
        p.putIfAbsent("request.timeout.ms", 10_000);
        p.putIfAbsent("schema.registry.max.retries", 1);
        return p;
    }

    /**
     * The principal these properties sign in as ({@code User:<name>}: the SASL username, else the basic-auth user),
     * or empty on a cluster without authentication.
     */
    java.util.Optional<String> principal() {
        Map<String, Object> p = properties();
        java.util.regex.Matcher sasl = java.util.regex.Pattern.compile("(?<![A-Za-z0-9_])username=\"([^\"]+)\"")
                .matcher(String.valueOf(p.getOrDefault("sasl.jaas.config", "")));
        if (sasl.find()) {
            return java.util.Optional.of("User:" + sasl.group(1));
        }
        Object info = p.get("basic.auth.user.info");
        return info == null || !info.toString().contains(":") ? java.util.Optional.empty()
                : java.util.Optional.of("User:" + info.toString().substring(0, info.toString().indexOf(':')));
    }

    /** Whether this command talks to the local mesh: nothing names another cluster or principal. */
    boolean isLocalMesh() {
        return bootstrap == null && registry == null && config == null && System.getenv("MESH_CONFIG") == null
                && System.getenv("MESH_BOOTSTRAP") == null && System.getenv("KAFKA_BOOTSTRAP_SERVERS") == null
                && System.getenv("SCHEMA_REGISTRY_URL") == null && Files.exists(LOCAL_ADMIN);
    }

    MeshOps ops() {
        return new MeshOps(Mesh.connect(properties()));
    }

    private static String first(String... values) {
        for (String v : values) {
            if (v != null && !v.isBlank()) {
                return v;
            }
        }
        return null;
    }
}
