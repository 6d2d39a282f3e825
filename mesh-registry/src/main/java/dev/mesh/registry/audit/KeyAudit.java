package dev.mesh.registry.audit;

import dev.mesh.registry.RegistryApplication;
import dev.mesh.registry.leader.LeaderElection;
import dev.mesh.sdk.audit.AuditEvent;
import dev.mesh.sdk.audit.AuditLog;
import dev.mesh.sdk.security.MeshPrincipals;
import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpMethod;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.ResponseFilter;
import io.micronaut.http.annotation.ServerFilter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Tells {@code _mesh.audit} every data key the DEK Registry released (by whichever instance answered: reads are not
 * passed to the leader) and every change to its keys (by the leader, which made it).
 */
@Requires(env = RegistryApplication.ENV)
@Requires(bean = AuditLog.class)
@ServerFilter("/dek-registry/**")
final class KeyAudit {
    private static final Logger log = LoggerFactory.getLogger(KeyAudit.class);
    private static final Pattern DEK = Pattern.compile("^/dek-registry/v1/keks/([^/]+)/deks/([^/]+)(?:/versions/([^/]+))?/?$");

    private final AuditLog audit;
    private final LeaderElection election;
    private final java.util.concurrent.ExecutorService blocking;

    KeyAudit(AuditLog audit, LeaderElection election,
             @jakarta.inject.Named(io.micronaut.scheduling.TaskExecutors.BLOCKING) java.util.concurrent.ExecutorService blocking) {
        this.audit = audit;
        this.election = election;
        this.blocking = blocking;
    }

    @ResponseFilter
    void answered(HttpRequest<?> request, MutableHttpResponse<?> response) {
        if (response.code() >= 300) {
            return;
        }
        Matcher dek = DEK.matcher(request.getPath());
        String action;
        if (request.getMethod() == HttpMethod.GET && dek.matches()) {
            action = "registry.key-released";
        } else if (request.getMethod() != HttpMethod.GET && election.isLeader()) {
            action = "registry.keys-changed";
        } else {
            return;
        }
        String principal = request.getAttribute(dev.mesh.service.security.MeshAccessRule.DECIDED_FOR, String.class)
                .orElse(request.getUserPrincipal().map(Principal::getName).map(MeshPrincipals::principal).orElse("anonymous"));
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("request", request.getMethodName() + " " + request.getPath());
        String product = null;
        if (dek.matches()) {
            details.put("kek", decode(dek.group(1)));
            String subject = decode(dek.group(2));
            details.put("subject", subject);
            if (dek.group(3) != null) {
                details.put("version", decode(dek.group(3)));
            }
            product = subject.endsWith("-value") ? subject.substring(0, subject.length() - "-value".length()) : null;
        }
        AuditEvent event = new AuditEvent(Instant.now(), principal, action, product, details);
        java.util.concurrent.CompletableFuture.supplyAsync(() -> audit.send(event), blocking).thenCompose(f -> f).whenComplete((ok, error) -> {
            if (error != null) {
                log.error("could not tell the audit trail that {} did {} {}: {}", principal, request.getMethodName(),
                        request.getPath(), error.getMessage());
            }
        });
    }

    private static String decode(String part) {
        return URLDecoder.decode(part, StandardCharsets.UTF_8);
    }
}
