package dev.mesh.registry.leader;

/**
 * Thrown where a write reaches an instance that is not the elected leader: the request is forwarded to
 * {@link #leader()} and the client gets the leader's answer.
 */
public final class NotLeaderException extends RuntimeException {
    private final Leader leader;

    public NotLeaderException(Leader leader) {
        super("not the leader; the leader is " + leader.url(), null, false, false);
        this.leader = leader;
    }

    public Leader leader() {
        return leader;
    }
}
