package dev.mesh.sdk.ops;

/**
 * How many dead letters of a product a queue holds (or all its queues together), and how many of them a reader refused
 * on read: it could not decode the record, or the record broke the product's contract. Those are records the product
 * holds that it should not: an integrity failure of its owner, not of its reader.
 */
public record DeadLetterTally(long deadLetters, long refusedOnRead) {
    public DeadLetterTally plus(DeadLetterTally other) {
        return new DeadLetterTally(deadLetters + other.deadLetters, refusedOnRead + other.refusedOnRead);
    }
}
