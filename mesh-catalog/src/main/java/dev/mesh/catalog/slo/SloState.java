package dev.mesh.catalog.slo;

/** Where a product stands against one objective: {@code WARN} past 80% of an upper bound, {@code BREACHED} past it. */
public enum SloState {
    OK, WARN, BREACHED
}
