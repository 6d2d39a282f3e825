package dev.mesh.sdk.errors;

/** Something the mesh cannot do, with a message that says what and where. */
public class MeshException extends RuntimeException {
    public MeshException(String message) {
        super(message);
    }

    public MeshException(String message, Throwable cause) {
        super(message, cause);
    }
}
