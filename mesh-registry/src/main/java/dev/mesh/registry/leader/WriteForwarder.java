package dev.mesh.registry.leader;

import dev.mesh.registry.core.RegistryException;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/**
 * Sends a write that reached a follower to the leader and hands back the leader's answer as it is (status, body),
 * as Confluent's followers do. If the leader cannot be reached, or answers that it is shutting down, the write waits
 * for the group to elect another leader and goes there, until the registry's timeout; a write that already
 * committed before its leader died is answered the same when sent again (registering is idempotent).
 */
public final class WriteForwarder {
    /** How many times a request has been forwarded: a bound against two instances that disagree on the leader. */
    public static final String HOPS_HEADER = "X-Mesh-Registry-Hops";
    private static final int MAX_HOPS = 3;

    private final LeaderElection election;
    private final Duration timeout;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    public record Answer(int status, String contentType, byte[] body) {
    }

    public WriteForwarder(LeaderElection election, Duration timeout) {
        this.election = election;
        this.timeout = timeout;
    }

    /**
     * @param pathAndQuery e.g. {@code /subjects/s/versions?normalize=false}
     * @param headers      the client's headers to pass on (content type, accept, authorization)
     * @param hops         how often the request was forwarded before reaching this instance
     */
    public Answer forward(String method, String pathAndQuery, Map<String, String> headers, byte[] body,
                          Leader leader, int hops) {
        if (hops >= MAX_HOPS) {
            throw new RegistryException(500, 50003, "Request was forwarded " + hops
                    + " times without reaching the registry leader; the instances disagree on who leads");
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        Leader target = leader;
        String failure;
        while (true) {
            try {
                HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(target.url() + pathAndQuery))
                        .timeout(Duration.ofNanos(Math.max(1_000_000, deadline - System.nanoTime())))
                        .method(method, body.length == 0 ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofByteArray(body));
                headers.forEach(request::header);
                request.header(HOPS_HEADER, String.valueOf(hops + 1));
                HttpResponse<byte[]> response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
                if (response.statusCode() != 503) {
                    return new Answer(response.statusCode(),
                            response.headers().firstValue("content-type").orElse("application/vnd.schemaregistry.v1+json"),
                            response.body());
                }
                failure = "the leader at " + target.url() + " is shutting down";
            } catch (IOException e) {
                failure = "the leader at " + target.url() + " did not answer (" + e + ")";
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw RegistryException.storeTimeout("interrupted while forwarding to the leader at " + target.url());
            }
            if (System.nanoTime() > deadline) {
                throw new RegistryException(500, 50003, "Could not forward the request to the registry leader within "
                        + timeout + ": " + failure);
            }
            // A leader that stopped has left the group; a crashed one is dropped once its session times out.
            Leader previous = target;
            target = election.awaitLeader(previous, Duration.ofMillis(500)).orElse(previous);
            if (target.equals(previous)) {
                sleep();
            }
        }
    }

    private static void sleep() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
