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
