package dev.mesh.registry.api;

import dev.mesh.registry.RegistryApplication;
import dev.mesh.registry.core.RegistryException;
import dev.mesh.registry.leader.NotLeaderException;
import dev.mesh.registry.leader.WriteForwarder;
import dev.mesh.service.security.MeshAccessRule;
import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Error;
import io.micronaut.scheduling.TaskExecutors;
import jakarta.inject.Named;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;

/**
 * A write that reached a follower is answered by the leader: same status, same body. Forwarding waits on the
 * leader (and, across a failover, on the election), so it runs on the blocking executor: error routes may run on
 * an event loop, and blocking those could starve the very request this instance forwards to itself once it leads.
 */
@Requires(env = RegistryApplication.ENV)
@Controller
final class LeaderForwarding {
    private final WriteForwarder forwarder;
    private final ExecutorService blocking;

    /** Basic auth as the registry's own principal, for the writes it passes on; empty without security. */
    private final java.util.Optional<String> peerAuthorization;

    LeaderForwarding(WriteForwarder forwarder, @Named(TaskExecutors.BLOCKING) ExecutorService blocking,
                     @io.micronaut.context.annotation.Value("${basic.auth.user.info:}") String userInfo) {
        this.forwarder = forwarder;
        this.blocking = blocking;
        this.peerAuthorization = java.util.Optional.of(userInfo).filter(u -> !u.isBlank()).map(u -> "Basic "
                + java.util.Base64.getEncoder().encodeToString(u.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }

    @Error(global = true, exception = NotLeaderException.class)
    CompletableFuture<HttpResponse<?>> forward(HttpRequest<?> request, NotLeaderException e) {
        Map<String, String> headers = new HashMap<>();
        for (String name : new String[] {HttpHeaders.CONTENT_TYPE, HttpHeaders.ACCEPT}) {
            request.getHeaders().findFirst(name).ifPresent(v -> headers.put(name, v));
        }
        // the leader decides for the principal this instance decided for, told by the registry as its peer: the
        // client's password never leaves the instance it sent it to
        java.util.Optional<String> decidedFor = request.getAttribute(MeshAccessRule.DECIDED_FOR, String.class);
        if (peerAuthorization.isPresent() && decidedFor.isPresent()) {
            headers.put(HttpHeaders.AUTHORIZATION, peerAuthorization.get());
            headers.put(MeshAccessRule.ON_BEHALF_OF, decidedFor.get());
        } else {
            request.getHeaders().findFirst(HttpHeaders.AUTHORIZATION).ifPresent(v -> headers.put(HttpHeaders.AUTHORIZATION, v));
        }
        // how often a request was passed on is the peers' count: a client's header says nothing
        boolean fromPeer = peerAuthorization.isEmpty() || MeshAccessRule.fromPeer(request, dev.mesh.sdk.security.MeshPrincipals.REGISTRY);
        int hops = !fromPeer ? 0 : request.getHeaders().findFirst(WriteForwarder.HOPS_HEADER).filter(h -> h.matches("[0-9]{1,2}"))
                .map(Integer::parseInt).orElse(0);
        String query = request.getUri().getRawQuery();
        String pathAndQuery = request.getUri().getRawPath() + (query == null ? "" : "?" + query);
        byte[] body = request.getBody(byte[].class).orElse(new byte[0]);
        String method = request.getMethodName();
        return CompletableFuture.supplyAsync(() -> {
            try {
                WriteForwarder.Answer answer = forwarder.forward(method, pathAndQuery, headers, body, e.leader(), hops);
                return HttpResponse.<byte[]>status(HttpStatus.valueOf(answer.status())).body(answer.body())
                        .contentType(answer.contentType());
            } catch (RegistryException failed) {
                return Json.error(failed.status(), failed.errorCode(), failed.getMessage());
            }
        }, blocking);
    }
}
