package dev.mesh.registry.core;

/** An error the API answers with Confluent's status and error code, and a message that says what was wrong. */
public final class RegistryException extends RuntimeException {
    private final int status;
    private final int errorCode;

    public RegistryException(int status, int errorCode, String message) {
        super(message, null, false, false);
        this.status = status;
        this.errorCode = errorCode;
    }

    public int status() {
        return status;
    }

    public int errorCode() {
        return errorCode;
    }

    public static RegistryException subjectNotFound(String subject) {
        return new RegistryException(404, 40401, "Subject '" + subject + "' not found.");
    }

    public static RegistryException versionNotFound(String subject, Object version) {
        return new RegistryException(404, 40402, "Version " + version + " not found in subject '" + subject + "'.");
    }

    public static RegistryException schemaNotFound(String what) {
        return new RegistryException(404, 40403, "Schema " + what + " not found.");
    }

    public static RegistryException invalidSchema(String message) {
        return new RegistryException(422, 42201, message);
    }

    public static RegistryException invalidVersion(String version) {
        return new RegistryException(422, 42202, "The specified version '" + version
                + "' is not a valid version id. Allowed values are between [1, 2^31-1] and the string \"latest\"");
    }

    public static RegistryException invalidCompatibility(String level) {
        return new RegistryException(422, 42203, "Invalid compatibility level '" + level + "'. Valid values are "
                + java.util.Arrays.toString(dev.mesh.sdk.registry.CompatibilityLevel.values()));
    }

    public static RegistryException invalidMode(String mode) {
        return new RegistryException(422, 42204, "Invalid mode '" + mode + "'. Valid values are "
                + java.util.Arrays.toString(Mode.values()));
    }

    public static RegistryException readOnly(String subject) {
        return new RegistryException(422, 42205, "Subject '" + subject
                + "' is in read-only mode: registering and deleting are not permitted.");
    }

    public static RegistryException storeError(String message) {
        return new RegistryException(500, 50001, "Error in the backend data store: " + message);
    }

    public static RegistryException storeTimeout(String message) {
        return new RegistryException(500, 50002, "Timed out in the backend data store: " + message);
    }
}
