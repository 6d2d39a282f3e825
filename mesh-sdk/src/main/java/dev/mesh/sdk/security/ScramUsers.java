package dev.mesh.sdk.security;

import dev.mesh.sdk.errors.MeshException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialAlteration;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;

import java.util.Collection;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Principals' SCRAM-SHA-512 credentials on the brokers (KRaft keeps them in the cluster's metadata). */
public final class ScramUsers {
    /** Kafka's default and minimum for SCRAM-SHA-512. */
    private static final int ITERATIONS = 4096;

    private ScramUsers() {
    }

    /**
     * Waits, bounded, until each principal signs in: the brokers learn new credentials from the cluster's metadata a
     * moment after the controller accepted them, and a client that starts in that moment fails for good.
     */
    public static void awaitSignIn(String bootstrapServers, Collection<MeshCredentials> credentials, java.time.Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (MeshCredentials c : credentials) {
            java.util.Map<String, Object> config = new java.util.HashMap<>(c.kafkaProperties());
            config.put("bootstrap.servers", bootstrapServers);
            config.put("default.api.timeout.ms", 5_000);
            config.put("request.timeout.ms", 5_000);
            while (true) {
                try (Admin client = Admin.create(config)) {
                    client.describeCluster().nodes().get(5, TimeUnit.SECONDS);
                    break;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new MeshException("interrupted waiting for " + c.principal() + " to sign in", e);
                } catch (ExecutionException | TimeoutException e) {
                    if (System.nanoTime() > deadline) {
                        Throwable cause = e.getCause() == null ? e : e.getCause();
                        throw new MeshException(c.principal() + " cannot sign in to " + bootstrapServers + ": " + cause.getMessage(), cause);
                    }
                    try {
                        Thread.sleep(100);
                    } catch (InterruptedException ie) {
                        Thread.currentThread().interrupt();
                        throw new MeshException("interrupted waiting for " + c.principal() + " to sign in", ie);
                    }
                }
            }
        }
    }

    /** Creates or updates each principal's credential; as an admin. */
    public static void upsert(Admin admin, Collection<MeshCredentials> credentials) {
        List<UserScramCredentialAlteration> upserts = credentials.stream()
                .<UserScramCredentialAlteration>map(c -> new UserScramCredentialUpsertion(c.user(),
                        new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, ITERATIONS), c.secret()))
                .toList();
        try {
            admin.alterUserScramCredentials(upserts).all().get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MeshException("interrupted creating SCRAM credentials", e);
        } catch (ExecutionException | TimeoutException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new MeshException("cannot create SCRAM credentials for " + credentials.stream().map(MeshCredentials::user).toList()
                    + ": " + cause.getMessage(), cause);
        }
    }
}
