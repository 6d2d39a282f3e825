package dev.mesh.cli;

import dev.mesh.sdk.audit.AuditEvent;
import dev.mesh.sdk.audit.AuditLog;

import java.io.PrintWriter;
import java.time.Instant;
import java.util.Map;

/** What the CLI tells the audit trail: changes made with the admin's rights (ACL applies, redrives). */
final class Audit {
    private Audit() {
    }

    /** Appends the event as the CLI's principal; a principal that may not write the trail is told, the change stands. */
    static void tell(Connection connection, String action, String product, Map<String, Object> details, PrintWriter err) {
        try (dev.mesh.sdk.Mesh mesh = dev.mesh.sdk.Mesh.connect(connection.properties());
             AuditLog audit = new AuditLog(connection.properties())) {
            AuditLog.ensureTopic(mesh.admin(), mesh.replicationFactor());
            audit.append(new AuditEvent(Instant.now(), connection.principal().orElse("anonymous"), action, product, details));
        } catch (RuntimeException e) {
            err.println("mesh: done, but not in the audit trail: " + e.getMessage());
        }
    }
}
