package dev.mesh.sdk.ops;

/**
 * How many dead letters of a product a queue holds (or all its queues together); how many of them a reader refused
 * on read: it could not decode the record, or the record broke the product's contract (records the product holds that
 * it should not, as its readers report them); and how many its own publisher refused: the only ones written where
 * only the owner writes, so the only ones the platform acts on (an SLO's dead-letter ratio).
 */
public record DeadLetterTally(long deadLetters, long refusedOnRead, long refusedOnPublish) {
    public static final DeadLetterTally NONE = new DeadLetterTally(0, 0, 0);

    public DeadLetterTally plus(DeadLetterTally other) {
        return new DeadLetterTally(deadLetters + other.deadLetters, refusedOnRead + other.refusedOnRead,
                refusedOnPublish + other.refusedOnPublish);
    }
}
