package dev.mesh.service;

import dev.mesh.sdk.Domains;
import dev.mesh.sdk.contract.DomainDescriptor;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.Micronaut;
import io.micronaut.runtime.server.EmbeddedServer;

import java.util.HashMap;
import java.util.Map;

/**
 * The one runtime of every domain: given a domain's name it runs that domain's source products' intake, its
 * derivations, lookups and generators, all found as beans. A domain's own beans require its Micronaut environment
 * (its name), the shared ones {@link #ENV}; the settings are {@code application-domain.yml} and the domain's folder
 * ({@code domain.yaml}: its port). So several domains, and the registry, run in one JVM ({@code mesh up}) without
 * seeing each other's beans, routes or settings, and a new domain is a folder and, where it has code, a module.
 */
public final class DomainService {
    /** The environment of every domain service: the shared beans of this module. */
    public static final String ENV = "domain";
    /** The domain a process runs: {@code -Dmesh.domain=finance}, {@code MESH_DOMAIN=finance} or the first argument. */
    public static final String DOMAIN = "mesh.domain";

    private DomainService() {
    }

    /** As a process of its own: {@code MESH_DOMAIN=finance java -cp ... dev.mesh.service.DomainService}. */
    public static void main(String[] args) {
        String domain = System.getProperty(DOMAIN, System.getenv("MESH_DOMAIN"));
        if ((domain == null || domain.isBlank()) && args.length > 0 && !args[0].startsWith("-")) {
            domain = args[0];
        }
        if (domain == null || domain.isBlank()) {
            System.err.println("which domain? set MESH_DOMAIN (or -Dmesh.domain, or give it as the first argument); the mesh's domains are "
                    + Domains.all().stream().map(DomainDescriptor::name).toList());
            System.exit(2);
        }
        run(domain, args);
    }

    /** Runs {@code domain} as this process's application. */
    public static ApplicationContext run(String domain, String... args) {
        return Micronaut.build(args).mainClass(DomainService.class).environments(ENV, domain)
                .properties(settings(Domains.of(domain), Map.of())).start();
    }

    /** In this JVM with these settings (tests, {@code mesh up}); port 0 picks a free one. */
    public static EmbeddedServer start(String domain, Map<String, Object> properties) {
        return ApplicationContext.run(EmbeddedServer.class, settings(Domains.of(domain), properties), ENV, domain);
    }

    /** What follows from the domain's folder, under the given settings (which win). */
    private static Map<String, Object> settings(DomainDescriptor domain, Map<String, Object> given) {
        Map<String, Object> p = new HashMap<>();
        p.put(DOMAIN, domain.name());
        p.put("micronaut.application.name", "domain-" + domain.name());
        // the folder's port, unless the environment (MICRONAUT_SERVER_PORT) or the caller says otherwise
        p.put("mesh.service.port", domain.port());
        p.putAll(given);
        return p;
    }
}
