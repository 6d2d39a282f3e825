package dev.mesh.service;

import dev.mesh.sdk.errors.MeshException;
import dev.mesh.sdk.PublishResult;
import dev.mesh.sdk.Publisher;
import dev.mesh.sdk.errors.RuleViolationException;
import dev.mesh.sdk.intake.FieldProblem;
import dev.mesh.sdk.intake.RecordRefusedException;
import org.apache.kafka.common.errors.RecordTooLargeException;

import java.util.List;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Synchronous publishing for HTTP intake: the answer says where the record landed, or which rule it broke. */
public final class Publishing {
    private Publishing() {
    }

    public static <T> Accepted publish(Publisher<T> publisher, String id, T record) {
        try {
            PublishResult result = publisher.publish(record).get(30, TimeUnit.SECONDS);
            return Accepted.of(id, result);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuleViolationException rule) {
                throw rule;
            }
            if (e.getCause() instanceof RecordTooLargeException) {
                throw new RecordRefusedException(List.of(new FieldProblem("$", "the record is larger than "
                        + publisher.contract().topicName() + " accepts")), true);
            }
            throw new MeshException("could not publish " + id + " to " + publisher.contract().topicName() + ": "
                    + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new MeshException("timed out publishing " + id + " to " + publisher.contract().topicName(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MeshException("interrupted publishing " + id, e);
        }
    }
}
