package dev.mesh.sdk.contract;

/**
 * A domain as its folder declares it ({@code products/<domain>/domain.yaml}): who owns it and where its service
 * listens. Its principal, credentials, ACLs, service and compose entry follow from this and its products' contracts.
 *
 * @param name  the folder's name: the domain's principal, Micronaut environment and the schema of its SQL tables
 * @param port  where its service listens by default (the local mesh and compose)
 */
public record DomainDescriptor(String name, String title, String description, ProductContract.Owner owner, int port) {
    /** A domain's name: it names a principal, a Micronaut environment, an SQL schema and a Java package. */
    public static final String NAME = "[a-z][a-z0-9]*";
}
