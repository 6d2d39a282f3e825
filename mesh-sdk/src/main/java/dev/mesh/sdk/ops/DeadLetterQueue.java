package dev.mesh.sdk.ops;

/**
 * A topic that holds dead letters of a product, and who refused them there: the product's own DLQ (its publisher,
 * by a contract rule), a consumer group's DLQ, or the DLQ of a Streams app that reads the product (which also holds
 * the app's other inputs' records: {@code sharedWithOtherInputs}, so only records whose origin is the product count).
 */
public record DeadLetterQueue(String topic, String refusedBy, boolean sharedWithOtherInputs) {
    public static final String PUBLISHER = "publisher";

    public static DeadLetterQueue publisher(String topic) {
        return new DeadLetterQueue(topic, PUBLISHER, false);
    }

    public static DeadLetterQueue consumer(String topic, String group) {
        return new DeadLetterQueue(topic, "consumer group " + group, false);
    }

    public static DeadLetterQueue streamsApp(String topic, String applicationId) {
        return new DeadLetterQueue(topic, "streams app " + applicationId, true);
    }

    public boolean isPublisher() {
        return PUBLISHER.equals(refusedBy);
    }
}
