package dev.mesh.testkit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.URI;
import java.net.URLEncoder;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Just enough of the Docker Engine API to decide, in seconds, whether a container can start here: does the engine
 * answer, is an image present, can it be pulled now. Testcontainers' own client retries a pull for minutes where no
 * image registry is reachable; these questions each have a deadline.
 */
public final class DockerEngine {
    private final SocketAddress address;
    private final Duration timeout;

    private DockerEngine(SocketAddress address, Duration timeout) {
        this.address = address;
        this.timeout = timeout;
    }

    /** The engine {@code DOCKER_HOST} names (unix:// or tcp://), else the usual sockets; empty when none is configured. */
    public static Optional<DockerEngine> configured(Duration timeout) {
        String host = System.getenv("DOCKER_HOST");
        if (host != null && !host.isBlank()) {
            return named(host, timeout);
        }
        for (Path socket : new Path[] {Path.of("/var/run/docker.sock"),
                Path.of(System.getProperty("user.home"), ".docker", "run", "docker.sock")}) {
            if (Files.exists(socket)) {
                return Optional.of(at(socket, timeout));
            }
        }
        return Optional.empty();
    }

    /** The engine a DOCKER_HOST value names; empty for one this cannot reach (another scheme, or not a URI at all). */
    static Optional<DockerEngine> named(String host, Duration timeout) {
        try {
            URI uri = URI.create(host.trim());
            if ("unix".equals(uri.getScheme()) && uri.getPath() != null) {
                return Optional.of(at(Path.of(uri.getPath()), timeout));
            }
            if ("tcp".equals(uri.getScheme()) && uri.getHost() != null) {
                return Optional.of(new DockerEngine(new InetSocketAddress(uri.getHost(), uri.getPort() < 0 ? 2375 : uri.getPort()), timeout));
            }
        } catch (IllegalArgumentException e) {
            // not a URI: no engine this can ask
        }
        return Optional.empty();
    }

    public static DockerEngine at(Path socket, Duration timeout) {
        return new DockerEngine(UnixDomainSocketAddress.of(socket), timeout);
    }

    public String address() {
        return address.toString();
    }

    /** Whether the engine answers its ping. */
    public boolean answers() {
        return call("GET", "/_ping").map(r -> r.status == 200).orElse(false);
    }

    /** Whether {@code image} ("name:tag") is in the engine's image store. */
    public boolean hasImage(String image) {
        return call("GET", "/images/" + image + "/json").map(r -> r.status == 200).orElse(false);
    }

    /** Pulls {@code image} if that finishes within the deadline; false when it fails or would take longer. */
    public boolean pull(String image) {
        int colon = image.lastIndexOf(':');
        String name = colon > image.lastIndexOf('/') ? image.substring(0, colon) : image;
        String tag = colon > image.lastIndexOf('/') ? image.substring(colon + 1) : "latest";
        // the engine answers 200 and streams progress; a failure is an "error" object in that stream
        return call("POST", "/images/create?fromImage=" + URLEncoder.encode(name, StandardCharsets.UTF_8) + "&tag="
                + URLEncoder.encode(tag, StandardCharsets.UTF_8))
                .map(r -> r.status == 200 && !r.body.contains("\"error\"")).orElse(false);
    }

    /** Present, or pulled within the deadline. */
    public boolean canRun(String image) {
        return hasImage(image) || pull(image) && hasImage(image);
    }

    private record Reply(int status, String body) {
    }

    /** One HTTP/1.0 exchange (the engine closes the connection after answering), or empty past the deadline. */
    private Optional<Reply> call(String method, String path) {
        SocketChannel channel;
        try {
            channel = SocketChannel.open(address instanceof UnixDomainSocketAddress ? StandardProtocolFamily.UNIX
                    : StandardProtocolFamily.INET);
        } catch (IOException e) {
            return Optional.empty();
        }
        CompletableFuture<Reply> exchange = CompletableFuture.supplyAsync(() -> exchange(channel, method, path));
        try {
            return Optional.of(exchange.get(timeout.toMillis(), TimeUnit.MILLISECONDS));
        } catch (TimeoutException | ExecutionException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        } finally {
            try {
                channel.close(); // also ends an exchange still blocked in a read
            } catch (IOException ignored) {
                // closing is all that is left to do
            }
        }
    }

    private Reply exchange(SocketChannel channel, String method, String path) {
        try {
            channel.connect(address);
            String request = method + " " + path + " HTTP/1.0\r\nHost: docker\r\nContent-Length: 0\r\n\r\n";
            channel.write(ByteBuffer.wrap(request.getBytes(StandardCharsets.US_ASCII)));
            ByteArrayOutputStream in = new ByteArrayOutputStream();
            ByteBuffer buffer = ByteBuffer.allocate(8192);
            while (channel.read(buffer) >= 0) {
                in.write(buffer.array(), 0, buffer.position());
                buffer.clear();
            }
            String reply = in.toString(StandardCharsets.UTF_8);
            String[] statusLine = reply.substring(0, Math.max(0, reply.indexOf("\r\n"))).split(" ");
            int bodyAt = reply.indexOf("\r\n\r\n");
            return new Reply(statusLine.length > 1 ? Integer.parseInt(statusLine[1]) : 0,
                    bodyAt < 0 ? "" : reply.substring(bodyAt + 4));
        } catch (IOException | RuntimeException e) {
            throw new java.util.concurrent.CompletionException(e);
        }
    }
}
