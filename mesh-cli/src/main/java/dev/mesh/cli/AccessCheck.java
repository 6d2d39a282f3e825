package dev.mesh.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mesh.sdk.catalog.ProductEntry;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * What the mesh's one access decision says of the CLI's principal on a product, asked of the catalog
 * ({@code GET /api/whoami?product=}): the server knows who signed in, the CLI does not guess it from its settings.
 */
final class AccessCheck {
    private AccessCheck() {
    }

    /** Why the principal may not see the product's PII unmasked, or empty if it may. */
    static Optional<String> revealRefusal(MarketplaceCommands.CatalogApi api, ProductEntry product) {
        if (api.connection.principal().isEmpty()) {
            return Optional.empty(); // a cluster without authentication: nobody to tell apart
        }
        JsonNode reveal = ask(api, product).path("product").path("reveal");
        return reveal.path("allowed").asBoolean(false) ? Optional.empty()
                : Optional.of("--reveal: " + explanation(reveal));
    }

    /**
     * Why the principal cannot read the product, after Kafka would not describe its topic: the catalog's decision
     * when it answers, else what Kafka's silence means (it does not tell a principal without access whether a topic
     * exists).
     */
    static String readRefusal(MarketplaceCommands.CatalogApi api, ProductEntry product) {
        String who = api.connection.principal().orElse("this client");
        String fallback = who + " may not read " + product.topic() + ", or the topic is gone (Kafka does not tell a"
                + " principal without access which); ask its owner: mesh access request " + product.product() + " --reason '...'";
        try {
            JsonNode read = ask(api, product).path("product").path("read");
            return read.path("allowed").asBoolean(false) ? product.topic() + " is not there (" + who
                    + " may read it, but Kafka does not know the topic)" : explanation(read);
        } catch (IllegalStateException e) {
            return fallback;
        }
    }

    private static JsonNode ask(MarketplaceCommands.CatalogApi api, ProductEntry product) {
        return api.call("GET", "/api/whoami?product=" + URLEncoder.encode(product.topic(), StandardCharsets.UTF_8), null);
    }

    private static String explanation(JsonNode verdict) {
        return verdict.path("reason").asText("refused") + (verdict.hasNonNull("remedy") ? "; " + verdict.path("remedy").asText() : "");
    }
}
