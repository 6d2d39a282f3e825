package dev.mesh.registry.api;

import dev.mesh.registry.RegistryApplication;
import dev.mesh.registry.core.RegistryException;
import dev.mesh.registry.leader.NotLeaderException;
import dev.mesh.registry.leader.WriteForwarder;
import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Error;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;

import java.util.HashMap;
import java.util.Map;

/** A write that reached a follower is answered by the leader: same status, same body. */
@Requires(env = RegistryApplication.ENV)
@Controller
@ExecuteOn(TaskExecutors.BLOCKING)
final class LeaderForwarding {
    private final WriteForwarder forwarder;

    LeaderForwarding(WriteForwarder forwarder) {
        this.forwarder = forwarder;
    }

    @Error(global = true, exception = NotLeaderException.class)
    HttpResponse<?> forward(HttpRequest<?> request, NotLeaderException e) {
        Map<String, String> headers = new HashMap<>();
        for (String name : new String[] {HttpHeaders.CONTENT_TYPE, HttpHeaders.ACCEPT, HttpHeaders.AUTHORIZATION}) {
            request.getHeaders().findFirst(name).ifPresent(v -> headers.put(name, v));
        }
        int hops = request.getHeaders().findFirst(WriteForwarder.HOPS_HEADER).filter(h -> h.matches("[0-9]{1,2}"))
                .map(Integer::parseInt).orElse(0);
        String query = request.getUri().getRawQuery();
        byte[] body = request.getBody(byte[].class).orElse(new byte[0]);
        WriteForwarder.Answer answer;
        try {
            answer = forwarder.forward(request.getMethodName(),
                    request.getUri().getRawPath() + (query == null ? "" : "?" + query), headers, body, e.leader(), hops);
        } catch (RegistryException failed) {
            return Json.error(failed.status(), failed.errorCode(), failed.getMessage());
        }
        return HttpResponse.<byte[]>status(HttpStatus.valueOf(answer.status())).body(answer.body())
                .contentType(answer.contentType());
    }
}
