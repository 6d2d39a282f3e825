package dev.mesh.registry;

import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;

import java.util.HashMap;
import java.util.Map;

/** The registry started in-process against a Kafka bootstrap: for tests, the SDK's tests and {@code mesh up}. */
public final class EmbeddedRegistry implements AutoCloseable {
    private final EmbeddedServer server;

    private EmbeddedRegistry(EmbeddedServer server) {
        this.server = server;
    }

    /** On a free loopback port. */
    public static EmbeddedRegistry start(String bootstrapServers) {
        return start(bootstrapServers, 0, Map.of());
    }

    /**
     * @param port 0 for a free one
     * @param properties further settings, e.g. {@code registry.topic} or any {@code kafka.*} client property
     */
    public static EmbeddedRegistry start(String bootstrapServers, int port, Map<String, Object> properties) {
        Map<String, Object> props = new HashMap<>();
        props.put("kafka.bootstrap.servers", bootstrapServers);
        props.put("micronaut.server.port", port == 0 ? -1 : port);
        props.put("micronaut.server.host", "127.0.0.1");
        props.putAll(properties);
        if (!props.containsKey(dev.mesh.sdk.security.CredentialStore.ENCRYPTION_SECRET) && System.getenv("LOCAL_SECRET") == null) {
            // an embedded registry (tests, a mesh against a cluster of its own) still encrypts PII, with a secret every
            // instance on the same cluster and topic derives alike; it is no secret, so mesh up passes its own
            String topic = String.valueOf(props.getOrDefault("registry.topic", dev.mesh.sdk.contract.Naming.SCHEMAS_TOPIC));
            org.slf4j.LoggerFactory.getLogger(EmbeddedRegistry.class).warn("{} not set: the local KMS secret of this embedded"
                    + " registry is derived from {} and {}, which anyone can; set it for data that matters",
                    dev.mesh.sdk.security.CredentialStore.ENCRYPTION_SECRET, bootstrapServers, topic);
            props.put(dev.mesh.sdk.security.CredentialStore.ENCRYPTION_SECRET, "embedded:" + bootstrapServers + "/" + topic);
        }
        return new EmbeddedRegistry(ApplicationContext.run(EmbeddedServer.class, props, RegistryApplication.ENV));
    }

    /** Base URL, e.g. {@code http://127.0.0.1:8081}. */
    public String url() {
        return "http://127.0.0.1:" + server.getPort();
    }

    /** The registry's Micronaut context (its router, its beans), for tests that enumerate what it serves. */
    public io.micronaut.context.ApplicationContext context() {
        return server.getApplicationContext();
    }

    public int port() {
        return server.getPort();
    }

    @Override
    public void close() {
        if (server.isRunning()) {
            server.getApplicationContext().close();
        }
    }
}
