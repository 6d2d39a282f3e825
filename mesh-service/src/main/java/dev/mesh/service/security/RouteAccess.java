package dev.mesh.service.security;

import dev.mesh.sdk.access.AccessDecision;
import io.micronaut.http.HttpRequest;

import java.util.Map;
import java.util.Optional;

/**
 * What one route of a service asks of its caller: nothing (/health), a principal of the mesh, an admin, or what the one
 * {@link AccessDecision} says of the principal and the product the route's variables name. Every route of every
 * service has one ({@link RouteRules}); a route without is refused.
 */
public final class RouteAccess {
    private static final AccessDecision.Verdict ALLOWED = new AccessDecision.Verdict(true, "", Optional.empty());

    /** Decides for a signed-in principal ({@code User:<name>}), given the route's decoded variables and the request. */
    @FunctionalInterface
    public interface Check {
        AccessDecision.Verdict check(String principal, Map<String, String> variables, HttpRequest<?> request);
    }

    private final boolean open;
    private final Check check;
    private final String description;

    private RouteAccess(boolean open, Check check, String description) {
        this.open = open;
        this.check = check;
        this.description = description;
    }

    /** Anyone, signed in or not. */
    public static RouteAccess open() {
        return new RouteAccess(true, (p, v, r) -> ALLOWED, "anyone");
    }

    /** Any principal of the mesh. */
    public static RouteAccess signedIn() {
        return new RouteAccess(false, (p, v, r) -> ALLOWED, "any principal");
    }

    /** Admins only. */
    public static RouteAccess admin() {
        return new RouteAccess(false, (p, v, r) -> AccessDecision.isAdmin(p) ? ALLOWED
                : new AccessDecision.Verdict(false, p + " may not " + r.getMethodName() + " " + r.getPath() + ": only admins may",
                Optional.empty()), "admins");
    }

    /** What {@code check} decides, e.g. {@link AccessDecision#read} of the product the path names. */
    public static RouteAccess decided(String description, Check check) {
        return new RouteAccess(false, check, description);
    }

    /** Whether the route answers without a principal. */
    public boolean anyone() {
        return open;
    }

    public AccessDecision.Verdict check(String principal, Map<String, String> variables, HttpRequest<?> request) {
        return check.check(principal, variables, request);
    }

    @Override
    public String toString() {
        return description;
    }
}
