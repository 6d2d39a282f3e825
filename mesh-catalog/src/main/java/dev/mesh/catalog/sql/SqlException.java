package dev.mesh.catalog.sql;

/** A query the mesh will not run, with the HTTP status that says whose fault it is: 400 the query's, 403 access. */
public final class SqlException extends RuntimeException {
    private final int status;

    SqlException(int status, String message) {
        super(message);
        this.status = status;
    }

    static SqlException badQuery(String message) {
        return new SqlException(400, message);
    }

    static SqlException refused(String message) {
        return new SqlException(403, message);
    }

    public int status() {
        return status;
    }
}
