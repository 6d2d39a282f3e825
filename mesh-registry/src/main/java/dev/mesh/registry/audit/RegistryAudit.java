package dev.mesh.registry.audit;

import dev.mesh.registry.RegistryApplication;
import dev.mesh.registry.core.SchemaRegistryService;
import dev.mesh.registry.leader.LeaderElection;
import dev.mesh.sdk.audit.AuditEvent;
import dev.mesh.sdk.audit.AuditLog;
import dev.mesh.sdk.security.MeshPrincipals;
import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpMethod;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ResponseFilter;
import io.micronaut.http.annotation.ServerFilter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.security.Principal;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Tells {@code _mesh.audit} every change the registry made: a schema registered, a subject or version deleted, a
 * compatibility or mode set or cleared, with the principal who asked. Only the instance that made the change (the
 * leader) tells it; a follower that forwarded the request does not. Registering a schema the subject already holds
 * changes nothing and is not told.
 */
@Requires(env = RegistryApplication.ENV)
@Requires(bean = AuditLog.class)
@ServerFilter({"/subjects/**", "/config/**", "/config", "/mode/**", "/mode"})
final class RegistryAudit {
    private static final Logger log = LoggerFactory.getLogger(RegistryAudit.class);
    private static final Pattern SUBJECT = Pattern.compile("^/(?:subjects|config|mode)/([^/]+)");

    private static final String VERSIONS_BEFORE = "mesh.audit.versions-before";

    private final AuditLog audit;
    private final LeaderElection election;
    private final SchemaRegistryService registry;
    private final java.util.concurrent.ExecutorService blocking;

    RegistryAudit(AuditLog audit, LeaderElection election, SchemaRegistryService registry,
                  @jakarta.inject.Named(io.micronaut.scheduling.TaskExecutors.BLOCKING) java.util.concurrent.ExecutorService blocking) {
        this.audit = audit;
        this.election = election;
        this.registry = registry;
        this.blocking = blocking;
    }

    @RequestFilter
    void before(HttpRequest<?> request) {
        if (action(request).filter("registry.register"::equals).isPresent()) {
            subject(request).ifPresent(s -> request.setAttribute(VERSIONS_BEFORE, versions(s)));
        }
    }

    @ResponseFilter
    void changed(HttpRequest<?> request, MutableHttpResponse<?> response) {
        Optional<String> action = action(request);
        if (action.isEmpty() || response.code() >= 300 || !election.isLeader()) {
            return;
        }
        Optional<Integer> before = request.getAttribute(VERSIONS_BEFORE, Integer.class);
        if (before.isPresent() && subject(request).map(this::versions).orElse(0) <= before.get()) {
            return;
        }
        // whom the change was decided for: a write another instance passed on names its maker
        String principal = request.getAttribute(dev.mesh.service.security.MeshAccessRule.DECIDED_FOR, String.class)
                .orElse(request.getUserPrincipal().map(Principal::getName).map(MeshPrincipals::principal).orElse("anonymous"));
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("request", request.getMethodName() + " " + request.getPath());
        String subject = subject(request).orElse(null);
        if (subject != null) {
            details.put("subject", subject);
        }
        response.getBody(String.class).filter(b -> b.length() <= 200).ifPresent(b -> details.put("answer", b));
        String product = subject != null && subject.endsWith("-value") ? subject.substring(0, subject.length() - "-value".length()) : null;
        AuditEvent event = new AuditEvent(Instant.now(), principal, action.get(), product, details);
        // a producer's first send waits for metadata: never on the thread answering requests
        java.util.concurrent.CompletableFuture.supplyAsync(() -> audit.send(event), blocking).thenCompose(f -> f).whenComplete((ok, error) -> {
            if (error != null) {
                log.error("could not tell the audit trail that {} did {} {}: {}", principal, request.getMethodName(),
                        request.getPath(), error.getMessage());
            }
        });
    }

    private static Optional<String> subject(HttpRequest<?> request) {
        Matcher m = SUBJECT.matcher(request.getPath());
        return m.find() ? Optional.of(java.net.URLDecoder.decode(m.group(1), java.nio.charset.StandardCharsets.UTF_8)) : Optional.empty();
    }

    private int versions(String subject) {
        try {
            return registry.versions(subject, true).size();
        } catch (RuntimeException e) {
            return 0; // no such subject yet
        }
    }

    /** The change a request asks for, if it asks for one (a POST to /subjects/{s} is a lookup). */
    private static Optional<String> action(HttpRequest<?> request) {
        String path = request.getPath();
        HttpMethod method = request.getMethod();
        if (method == HttpMethod.POST && path.matches("/subjects/[^/]+/versions/?")) {
            return Optional.of("registry.register");
        }
        if (method == HttpMethod.DELETE && path.startsWith("/subjects/")) {
            return Optional.of("registry.delete");
        }
        if ((method == HttpMethod.PUT || method == HttpMethod.DELETE) && path.startsWith("/config")) {
            return Optional.of("registry.config");
        }
        if ((method == HttpMethod.PUT || method == HttpMethod.DELETE) && path.startsWith("/mode")) {
            return Optional.of("registry.mode");
        }
        return Optional.empty();
    }
}
