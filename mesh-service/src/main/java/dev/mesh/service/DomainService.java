package dev.mesh.service;

import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.Micronaut;
import io.micronaut.runtime.server.EmbeddedServer;

import java.util.Map;

/**
 * Starts a domain service. Each service's beans require its own Micronaut environment (and the shared ones
 * {@link #ENV}), and its configuration is {@code application-<env>.yml}: so several services, and the registry,
 * can run in one JVM ({@code mesh up}) without seeing each other's beans, routes or settings.
 */
public final class DomainService {
    /** The environment of every domain service: the shared beans of this module. */
    public static final String ENV = "domain";

    private DomainService() {
    }

    /** As a process of its own, e.g. {@code java -jar domain-sales.jar}. */
    public static ApplicationContext run(Class<?> application, String env, String... args) {
        return Micronaut.build(args).mainClass(application).environments(ENV, env).start();
    }

    /** In this JVM with these settings (tests, {@code mesh up}); port 0 picks a free one. */
    public static EmbeddedServer start(String env, Map<String, Object> properties) {
        return ApplicationContext.run(EmbeddedServer.class, properties, ENV, env);
    }
}
