package dev.mesh.sdk.intake;

/**
 * Bounds on one JSON input record, checked while it is parsed so no input costs more than linear time: the body,
 * the nesting, one number's digits, one string, one array or map.
 */
public record IntakeLimits(int maxBodyBytes, int maxDepth, int maxNumberLength, int maxStringLength, int maxItems) {
    /** 1 MiB bodies, 16 levels, 40-character numbers, 10,000-character strings, 1,000 items. */
    public static final IntakeLimits DEFAULTS = new IntakeLimits(1 << 20, 16, 40, 10_000, 1_000);

    public IntakeLimits withStrings(int maxStringLength) {
        return new IntakeLimits(maxBodyBytes, maxDepth, maxNumberLength, maxStringLength, maxItems);
    }

    public IntakeLimits withItems(int maxItems) {
        return new IntakeLimits(maxBodyBytes, maxDepth, maxNumberLength, maxStringLength, maxItems);
    }
}
