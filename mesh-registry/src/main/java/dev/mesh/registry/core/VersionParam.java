package dev.mesh.registry.core;

/** The version path parameter: 1..2^31-1, "latest" or -1 (latest). Anything else is 422/42202. */
public final class VersionParam {
    public static final int LATEST = -1;

    private VersionParam() {
    }

    public static int parse(String version) {
        if (version == null) {
            throw RegistryException.invalidVersion("null");
        }
        if (version.equalsIgnoreCase("latest")) {
            return LATEST;
        }
        try {
            int v = Integer.parseInt(version.trim());
            if (v == LATEST || v >= 1) {
                return v;
            }
        } catch (NumberFormatException e) {
            // falls through to the error
        }
        throw RegistryException.invalidVersion(version);
    }
}
