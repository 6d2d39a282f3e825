package dev.mesh.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * {@code mesh access request|list|approve|deny|revoke}: the marketplace, through the catalog's API as the principal
 * of {@code --config} (its {@code basic.auth.user.info}); the catalog checks who may decide and provisions the ACLs.
 */
final class MarketplaceCommands {
    private MarketplaceCommands() {
    }

    /** Where the catalog is, and who asks. */
    static final class CatalogApi {
        @Mixin
        Connection connection;
        @Option(names = "--catalog", description = "The web catalog's URL (default: env MESH_CATALOG_URL, else the local mesh's while mesh up runs, else http://localhost:8080)")
        String catalog;

        JsonNode call(String method, String path, JsonNode body) {
            return call(method, path, body, Duration.ofSeconds(30));
        }

        /**
         * The web catalog of the mesh this command talks to, for commands that may ask it instead of measuring
         * themselves: {@code --catalog}, env {@code MESH_CATALOG_URL}, or the one {@code mesh up} runs for the local
         * mesh (its URL in {@code .mesh/catalog.url}) when the command talks to that mesh. Empty otherwise: a catalog
         * found by chance may belong to another cluster.
         */
        Optional<String> catalogOfThisMesh() {
            if (catalog != null) {
                return Optional.of(catalog);
            }
            if (System.getenv("MESH_CATALOG_URL") != null) {
                return Optional.of(System.getenv("MESH_CATALOG_URL"));
            }
            if (!connection.isLocalMesh() || !Files.isRegularFile(Connection.LOCAL_CATALOG)) {
                return Optional.empty();
            }
            try {
                return Optional.of(Files.readString(Connection.LOCAL_CATALOG).strip());
            } catch (java.io.IOException e) {
                return Optional.empty();
            }
        }

        /**
         * GET {@code path} of the catalog at {@code url} signed in as this command; empty when it cannot be reached
         * or does not answer this principal (then the command asks Kafka as itself, with its own grants).
         * Through {@link java.net.HttpURLConnection}: the JDK's HttpClient spends about a second of a fresh JVM on its
         * first request (its SSL context and its own classes), longer than the whole answer takes this way.
         */
        Optional<JsonNode> reachable(String url, String path) {
            java.net.HttpURLConnection http;
            try {
                if (!(URI.create(url.replaceAll("/+$", "") + path).toURL().openConnection() instanceof java.net.HttpURLConnection h)) {
                    throw new IllegalArgumentException(url);
                }
                http = h;
            } catch (IllegalArgumentException | java.io.IOException e) {
                throw new IllegalStateException("--catalog '" + url + "' is not an http(s) URL, e.g. http://localhost:8080");
            }
            http.setConnectTimeout(2_000);
            http.setReadTimeout(30_000);
            Object userInfo = connection.properties().get("basic.auth.user.info");
            if (userInfo != null) {
                http.setRequestProperty("Authorization", "Basic " + Base64.getEncoder().encodeToString(userInfo.toString().getBytes(StandardCharsets.UTF_8)));
            }
            int status;
            byte[] body;
            try {
                status = http.getResponseCode();
                try (java.io.InputStream in = status >= 400 ? http.getErrorStream() : http.getInputStream()) {
                    body = in == null ? new byte[0] : in.readAllBytes();
                }
            } catch (java.io.IOException e) {
                return Optional.empty();
            } finally {
                http.disconnect();
            }
            if (status == 401 || status == 403) {
                return Optional.empty();
            }
            JsonNode answer;
            try {
                answer = Output.JSON.readTree(body);
            } catch (java.io.IOException e) {
                throw new IllegalStateException("the catalog at " + url + " answered " + status + " with no JSON");
            }
            if (status >= 300) {
                throw new IllegalStateException(answer.path("message").asText("the catalog answered " + status)
                        + (answer.hasNonNull("hint") ? " (" + answer.path("hint").asText() + ")" : ""));
            }
            return Optional.of(answer);
        }

        /** As {@link #call(String, String, JsonNode)}, waiting up to {@code patience} (a query may read for a while). */
        JsonNode call(String method, String path, JsonNode body, Duration patience) {
            HttpResponse<byte[]> response = send(method, path, body, patience);
            JsonNode answer;
            try {
                answer = Output.JSON.readTree(response.body());
            } catch (Exception e) {
                throw new IllegalStateException("the catalog answered " + response.statusCode() + " with no JSON");
            }
            if (response.statusCode() >= 300) {
                throw new IllegalStateException(answer.path("message").asText("the catalog answered " + response.statusCode())
                        + (answer.hasNonNull("hint") ? " (" + answer.path("hint").asText() + ")" : ""));
            }
            return answer;
        }

        /** An answer that is a file (e.g. Parquet): its bytes, or the catalog's error as the exception's message. */
        byte[] download(String method, String path, JsonNode body, Duration patience) {
            HttpResponse<byte[]> response = send(method, path, body, patience);
            if (response.statusCode() >= 300) {
                String message;
                try {
                    message = Output.JSON.readTree(response.body()).path("message").asText();
                } catch (Exception e) {
                    message = "";
                }
                throw new IllegalStateException(message.isEmpty() ? "the catalog answered " + response.statusCode() : message);
            }
            return response.body();
        }

        private HttpResponse<byte[]> send(String method, String path, JsonNode body, Duration patience) {
            String base = catalogOfThisMesh().orElse("http://localhost:8080");
            URI uri;
            try {
                uri = URI.create(base.replaceAll("/+$", "") + path);
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException("--catalog '" + base + "' is not a URL, e.g. http://localhost:8080");
            }
            HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                    .timeout(patience).header("Content-Type", "application/json")
                    .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body.toString()));
            Object userInfo = connection.properties().get("basic.auth.user.info");
            if (userInfo != null) {
                request.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(userInfo.toString().getBytes(StandardCharsets.UTF_8)));
            }
            try {
                return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            } catch (java.io.IOException e) {
                throw new IllegalStateException("cannot reach the catalog at " + base + " (--catalog): " + e.getMessage(), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }
    }

    abstract static class Step implements Callable<Integer> {
        @Mixin
        CatalogApi api;
        @Spec
        CommandSpec spec;

        abstract JsonNode run();

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            JsonNode answer;
            try {
                answer = run();
            } catch (IllegalStateException e) {
                spec.commandLine().getErr().println("mesh: " + e.getMessage());
                return 1;
            }
            if (api.connection.json) {
                Output.json(out, answer);
            } else if (answer.isArray()) {
                List<List<String>> rows = new ArrayList<>();
                answer.forEach(g -> rows.add(row(g)));
                Output.table(out, List.of("ID", "PRODUCT", "FOR", "PII", "STATUS", "BY", "REASON"), rows);
            } else {
                out.println(String.join("  ", row(answer)));
            }
            return 0;
        }

        private static List<String> row(JsonNode g) {
            return List.of(g.path("id").asText(), g.path("product").asText(), g.path("principal").asText(),
                    g.path("pii").asBoolean() ? "yes" : "no", g.path("status").asText().toLowerCase(),
                    g.path("decidedBy").asText(g.path("requestedBy").asText()), g.path("reason").asText());
        }
    }

    @Command(name = "request", mixinStandardHelpOptions = true,
            description = "Ask that a principal (default: yourself) may read a product; its owner approves or denies.")
    static final class Request extends Step {
        @Parameters(paramLabel = "<product>", description = "Product id (e.g. sales.customers) or topic")
        String product;
        @Option(names = "--for", paramLabel = "<principal>", description = "Who is to read it, e.g. User:finance")
        String principal;
        @Option(names = "--reason", required = true, description = "Why access is needed")
        String reason;
        @Option(names = "--pii", description = "Also see the PII-tagged fields unmasked")
        boolean pii;
        @Option(names = "--valid-for", paramLabel = "<duration>", description = "How long the grant lasts once approved, e.g. 30d")
        String validFor;

        @Override
        JsonNode run() {
            ObjectNode body = Output.JSON.createObjectNode().put("product", product).put("reason", reason).put("pii", pii);
            if (principal != null) {
                body.put("principal", principal);
            }
            if (validFor != null) {
                body.put("validFor", validFor);
            }
            return api.call("POST", "/api/access/requests", body);
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Access requests and grants, newest first.")
    static final class ListRequests extends Step {
        @Option(names = "--product", description = "Only this product's")
        String product;

        @Override
        JsonNode run() {
            return api.call("GET", "/api/access" + (product == null ? "" : "?product=" + java.net.URLEncoder.encode(product, StandardCharsets.UTF_8)), null);
        }
    }

    abstract static class Decision extends Step {
        @Parameters(paramLabel = "<id>", description = "The request's id (mesh access list)")
        String id;
        @Option(names = "--note", description = "Why, for the audit trail")
        String note;

        abstract String decision();

        @Override
        JsonNode run() {
            ObjectNode body = Output.JSON.createObjectNode();
            if (note != null) {
                body.put("note", note);
            }
            return api.call("POST", "/api/access/" + java.net.URLEncoder.encode(id, StandardCharsets.UTF_8) + "/" + decision(), body);
        }
    }

    @Command(name = "approve", mixinStandardHelpOptions = true,
            description = "Grant a pending request (its product's owner or an admin): the principal's ACLs are created.")
    static final class Approve extends Decision {
        @Override
        String decision() {
            return "approve";
        }
    }

    @Command(name = "deny", mixinStandardHelpOptions = true, description = "Refuse a pending request; nothing is provisioned.")
    static final class Deny extends Decision {
        @Override
        String decision() {
            return "deny";
        }
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true,
            description = "End a grant: the ACLs no contract or other grant needs are deleted; the principal's next read fails.")
    static final class Revoke extends Decision {
        @Override
        String decision() {
            return "revoke";
        }
    }
}
