package dev.mesh.registry.leader;

/** The elected writer of a registry cluster: its instance id and the URL followers forward writes to. */
public record Leader(String instanceId, String url) {
}
