package dev.mesh.catalog.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mesh.catalog.CatalogApplication;
import dev.mesh.catalog.CatalogSnapshots;
import dev.mesh.sdk.access.AccessDecision;
import dev.mesh.sdk.access.AccessGrant;
import dev.mesh.sdk.access.Marketplace;
import dev.mesh.sdk.audit.AuditLog;
import dev.mesh.sdk.catalog.ProductEntry;
import dev.mesh.sdk.contract.DurationText;
import dev.mesh.sdk.contract.ProductContract;
import dev.mesh.sdk.security.MeshPrincipals;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;

import java.security.Principal;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The marketplace over HTTP (docs/guides/consumer.md, "Access requests"): who reads a product, requests and decisions, each by
 * the signed-in principal; and the audit trail.
 */
@Requires(env = CatalogApplication.ENV)
@Controller("/api")
@ExecuteOn(TaskExecutors.BLOCKING)
final class AccessController {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Marketplace marketplace;
    private final AuditLog audit;
    private final CatalogSnapshots snapshots;
    private final AccessDecision decision;

    AccessController(Marketplace marketplace, AuditLog audit, CatalogSnapshots snapshots, AccessDecision decision) {
        this.marketplace = marketplace;
        this.audit = audit;
        this.snapshots = snapshots;
        this.decision = decision;
    }

    /** Requests the caller may see: its own, those on products it may decide on; an admin's, all. */
    @Get("/access{?product}")
    HttpResponse<String> list(@Nullable Principal principal, @Nullable String product) {
        return Json.ok(visible(principal, marketplace.list(Optional.ofNullable(product).map(p -> snapshots.product(p).topic()))));
    }

    /**
     * Who the caller is, and with {@code product} what the one access decision says of it there: whether it may read
     * the product, see its PII, decide on access to it; each refusal with the command that would ask. The CLI asks
     * this before it shows PII, rather than deciding who it is itself.
     */
    @Get("/whoami{?product}")
    HttpResponse<String> whoami(@Nullable Principal principal, @Nullable String product) {
        Map<String, Object> body = new LinkedHashMap<>();
        String caller = principal == null ? null : MeshPrincipals.principal(principal.getName());
        body.put("principal", caller);
        body.put("admin", caller != null && AccessDecision.isAdmin(caller));
        if (product != null) {
            ProductContract c = decision.product(product).orElseThrow(() -> new Marketplace.Refused(404, "product",
                    "no product '" + product + "' in the mesh"));
            Map<String, Object> verdicts = new LinkedHashMap<>();
            verdicts.put("topic", c.topicName());
            verdicts.put("read", verdict(caller == null ? null : decision.read(caller, c)));
            verdicts.put("reveal", verdict(caller == null ? null : decision.reveal(caller, c)));
            verdicts.put("decide", verdict(caller == null ? null : decision.decide(caller, c)));
            body.put("product", verdicts);
        }
        return Json.ok(body);
    }

    private static Map<String, Object> verdict(AccessDecision.Verdict v) {
        Map<String, Object> out = new LinkedHashMap<>();
        if (v == null) {
            out.put("allowed", true); // no security: nobody to tell apart
            return out;
        }
        out.put("allowed", v.allowed());
        if (!v.allowed()) {
            out.put("reason", v.reason());
            v.remedy().ifPresent(r -> out.put("remedy", r));
        }
        return out;
    }

    private List<AccessGrant> visible(Principal principal, List<AccessGrant> grants) {
        if (principal == null) {
            return grants; // a catalog without security shows everything
        }
        String caller = MeshPrincipals.principal(principal.getName());
        return grants.stream().filter(g -> caller.equals(g.principal()) || caller.equals(g.requestedBy())
                || decision.product(g.product()).map(c -> decision.decide(caller, c).allowed()).orElse(AccessDecision.isAdmin(caller)))
                .toList();
    }

    /** The product's access: its grants and requests, newest first. */
    @Get("/products/{id}/access")
    HttpResponse<String> productAccess(@Nullable Principal principal, String id) {
        ProductEntry p = snapshots.product(id);
        Instant now = Instant.now();
        List<AccessGrant> all = visible(principal, marketplace.list(Optional.of(p.topic())));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("product", p.topic());
        body.put("owner", MeshPrincipals.principal(CatalogSnapshots.domainOf(p)));
        body.put("classification", p.classification());
        body.put("readers", marketplace.contractReaders(p.topic()));
        body.put("grants", all.stream().filter(g -> g.isActive(now)).toList());
        body.put("pending", all.stream().filter(g -> g.status() == AccessGrant.Status.PENDING).toList());
        body.put("history", all);
        return Json.ok(body);
    }

    @Post("/access/requests")
    @Consumes({MediaType.APPLICATION_JSON, MediaType.ALL})
    HttpResponse<String> request(@Nullable Principal principal, @Nullable @Body String body) {
        String caller = caller(principal);
        JsonNode json = parse(body);
        String product = json.path("product").isTextual() ? json.path("product").asText() : null;
        if (product == null || product.isBlank()) {
            throw new Marketplace.Refused(400, "product", "name the product, e.g. \"product\": \"sales.customers\"");
        }
        String forWhom = json.hasNonNull("principal") ? json.path("principal").asText() : caller;
        Optional<Duration> validFor = Optional.ofNullable(json.path("validFor").asText(null)).map(t -> duration(t, "validFor"));
        AccessGrant grant = marketplace.request(caller, topicOf(product), forWhom,
                json.path("reason").asText(null), json.path("pii").asBoolean(false), validFor);
        return Json.of(HttpStatus.CREATED, grant);
    }

    @Post("/access/{id}/{decision}")
    @Consumes({MediaType.APPLICATION_JSON, MediaType.ALL})
    HttpResponse<String> decide(@Nullable Principal principal, String id, String decision, @Nullable @Body String body) {
        String caller = caller(principal);
        String note = body == null || body.isBlank() ? null : parse(body).path("note").asText(null);
        return Json.ok(switch (decision) {
            case "approve" -> marketplace.approve(caller, id, note);
            case "deny" -> marketplace.deny(caller, id, note);
            case "revoke" -> marketplace.revoke(caller, id, note);
            default -> throw new Marketplace.Refused(404, "decision", "no decision '" + decision
                    + "'; POST /api/access/{id}/approve, /deny or /revoke");
        });
    }

    /** The audit trail, newest first: {@code since} a duration back such as 1h, 7d (default 7d). */
    @Get("/audit{?product,since}")
    HttpResponse<String> audit(@Nullable String product, @Nullable String since) {
        Duration back = since == null ? Duration.ofDays(7) : duration(since, "since");
        var events = new java.util.ArrayList<>(audit.read(Optional.ofNullable(product).map(p -> snapshots.product(p).topic()),
                AuditLog.since(back)));
        java.util.Collections.reverse(events);
        return Json.ok(events);
    }

    private String topicOf(String product) {
        try {
            return snapshots.product(product).topic();
        } catch (RuntimeException e) {
            return product;
        }
    }

    private static String caller(Principal principal) {
        if (principal == null) {
            throw new Marketplace.Refused(401, "", "sign in: the marketplace acts as the principal who asks");
        }
        return MeshPrincipals.principal(principal.getName());
    }

    private static JsonNode parse(String body) {
        try {
            JsonNode json = body == null || body.isBlank() ? null : JSON.readTree(body);
            if (json == null || !json.isObject()) {
                throw new Marketplace.Refused(400, "$", "expected a JSON object");
            }
            return json;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new Marketplace.Refused(400, "$", "not valid JSON: " + e.getOriginalMessage());
        }
    }

    private static Duration duration(String text, String field) {
        return DurationText.parse(text).orElseThrow(() -> new Marketplace.Refused(400, field,
                "'" + text + "' is not a duration; " + DurationText.EXPECTED));
    }
}
