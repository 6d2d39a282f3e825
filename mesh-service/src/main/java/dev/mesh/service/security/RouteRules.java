package dev.mesh.service.security;

import java.util.Map;

/**
 * A service's access rules by route: {@code "<METHOD> <template>"} as Micronaut's router knows the route (query
 * variables left out), e.g. {@code "GET /products/{name}/{key}"}. HEAD is decided as GET. Each Micronaut module of the
 * mesh contributes the rules of its own routes; a route no bean names is refused, and a test enumerates the router to
 * prove none is missing.
 */
public interface RouteRules {
    Map<String, RouteAccess> rules();
}
