package dev.mesh.sdk.access;

import dev.mesh.sdk.contract.Naming;
import dev.mesh.sdk.contract.ProductContract;
import dev.mesh.sdk.contract.ProductContract.Classification;
import dev.mesh.sdk.security.MeshPrincipals;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.apache.kafka.common.acl.AclOperation.CREATE;
import static org.apache.kafka.common.acl.AclOperation.DELETE;
import static org.apache.kafka.common.acl.AclOperation.DESCRIBE;
import static org.apache.kafka.common.acl.AclOperation.DESCRIBE_CONFIGS;
import static org.apache.kafka.common.acl.AclOperation.READ;
import static org.apache.kafka.common.acl.AclOperation.WRITE;

/**
 * The ACLs the contracts imply, on Kafka's own authorizer. The one place access is derived:
 * <ul>
 *   <li>the owner ({@code User:<domain>}) writes, reads and creates its product and its DLQ;</li>
 *   <li>a derived product's Streams app ({@code <domain>-<name>}) owns the topics and transactional ids under its
 *       application id (internal topics, its DLQ);</li>
 *   <li>a reader reads the product and its DLQ, and writes its own consumer DLQs
 *       ({@code <topic>.<group>.dlq}, under {@code <topic>.<its group prefix>});</li>
 *   <li>every principal named owns the consumer groups under its prefix {@code <name>-};</li>
 *   <li>readers are those the contract's {@code access.readers} names, and by classification: {@code public} any
 *       authenticated principal, {@code internal} every domain of the mesh, {@code confidential}/{@code restricted}
 *       no one else;</li>
 *   <li>the platform: each domain writes its own {@code _mesh.catalog.<domain>}, anyone reads them; {@code User:catalog} reads every product, DLQ and
 *       group description (it shows them, masked); {@code User:registry} owns {@code _schemas}, its group and its
 *       transactional id; the catalog also runs the marketplace (keeps {@code _mesh.access}, creates and deletes
 *       the ACLs of the grants it approves); the catalog and the registry append to {@code _mesh.audit}. The admin
 *       is the brokers' super user and needs no ACL.</li>
 *   <li>an approved, unexpired access grant ({@link AccessGrant}) makes its principal a reader of its product.</li>
 * </ul>
 * A derived product whose input does not let its owner read is a conflict: the contracts disagree.
 */
public final class AccessPlan {
    public static final String REGISTRY_GROUP_PREFIX = "mesh-registry.";
    public static final String REGISTRY_WRITER_PREFIX = "mesh-registry-writer-";
    private static final String ANYONE = "User:*";

    private final Set<AclBinding> bindings = new LinkedHashSet<>();
    private final List<String> conflicts = new ArrayList<>();

    private AccessPlan() {
    }

    /** What these contracts, the whole mesh's, imply. */
    public static AccessPlan of(Collection<ProductContract> contracts) {
        return of(contracts, List.of());
    }

    /** What the contracts imply, and the active grants of the marketplace ({@code _mesh.access}) on top. */
    public static AccessPlan of(Collection<ProductContract> contracts, Collection<AccessGrant> grants) {
        AccessPlan plan = new AccessPlan();
        plan.derive(contracts);
        Map<String, ProductContract> byTopic = contracts.stream()
                .collect(Collectors.toMap(ProductContract::topicName, Function.identity(), (a, b) -> a));
        for (AccessGrant grant : grants) {
            ProductContract contract = byTopic.get(grant.product());
            if (contract != null) {
                plan.bindings.addAll(reading(grant.principal(), contract));
            }
        }
        return plan;
    }

    /** What a principal needs to read a product: its topic and DLQ, its own groups and consumer DLQs. */
    public static Set<AclBinding> reading(String principal, ProductContract contract) {
        AccessPlan plan = new AccessPlan();
        plan.reader(principal, contract);
        return plan.bindings();
    }

    public Set<AclBinding> bindings() {
        return Set.copyOf(bindings);
    }

    /** Contracts that disagree, e.g. a derived product reading an input its owner may not read. */
    public List<String> conflicts() {
        return List.copyOf(conflicts);
    }

    /** Who may read the product's topic: its owner, the readers it names and those its classification lets. */
    public static Set<String> readers(ProductContract contract, Set<String> domains) {
        Set<String> readers = new TreeSet<>();
        readers.add(MeshPrincipals.principal(contract.product().domain()));
        readers.addAll(contract.access().readers());
        if (contract.classification() == Classification.PUBLIC) {
            readers.add(ANYONE);
        } else if (contract.classification() == Classification.INTERNAL) {
            domains.forEach(domain -> readers.add(MeshPrincipals.principal(domain)));
        }
        return readers;
    }

    private void derive(Collection<ProductContract> contracts) {
        Set<String> domains = contracts.stream().map(c -> c.product().domain()).collect(Collectors.toCollection(TreeSet::new));
        Map<String, ProductContract> byTopic = contracts.stream()
                .collect(Collectors.toMap(ProductContract::topicName, Function.identity(), (a, b) -> a));
        for (ProductContract contract : contracts) {
            product(contract, domains);
            if (contract.isDerived() || fedBySuccessor(contract, byTopic)) {
                derivedApp(contract, domains, byTopic);
            }
        }
        platform(domains);
    }

    private void product(ProductContract contract, Set<String> domains) {
        String owner = MeshPrincipals.principal(contract.product().domain());
        String topic = contract.topicName();
        for (String t : List.of(topic, contract.dlqTopic())) {
            allow(owner, literal(ResourceType.TOPIC, t), READ, WRITE, CREATE, DESCRIBE, DESCRIBE_CONFIGS);
        }
        for (String reader : readers(contract, domains)) {
            reader(reader, contract);
        }
        String catalog = MeshPrincipals.principal(MeshPrincipals.CATALOG);
        allow(catalog, literal(ResourceType.TOPIC, topic), READ, DESCRIBE, DESCRIBE_CONFIGS);
        allow(catalog, prefixed(ResourceType.TOPIC, topic + "."), READ, DESCRIBE);
    }

    /** Whether a deprecated major is fed from its successor by a migration bridge, which runs as its derived app. */
    private static boolean fedBySuccessor(ProductContract contract, Map<String, ProductContract> byTopic) {
        return contract.deprecated().map(d -> byTopic.get(d.successor()))
                .flatMap(ProductContract::migration)
                .filter(m -> m.fromTopic().equals(contract.topicName())).isPresent();
    }

    private void reader(String reader, ProductContract contract) {
        String topic = contract.topicName();
        allow(reader, literal(ResourceType.TOPIC, topic), READ, DESCRIBE);
        allow(reader, literal(ResourceType.TOPIC, contract.dlqTopic()), READ, DESCRIBE);
        if (!reader.equals(ANYONE)) {
            String groups = Naming.groupPrefix(MeshPrincipals.user(reader));
            allow(reader, prefixed(ResourceType.GROUP, groups), READ, DESCRIBE);
            allow(reader, prefixed(ResourceType.TOPIC, topic + "." + groups), READ, WRITE, CREATE, DESCRIBE);
        }
    }

    private void derivedApp(ProductContract contract, Set<String> domains, Map<String, ProductContract> byTopic) {
        String owner = MeshPrincipals.principal(contract.product().domain());
        String app = Naming.applicationId(contract.product(), contract.major());
        allow(owner, prefixed(ResourceType.TOPIC, app), READ, WRITE, CREATE, DELETE, DESCRIBE, DESCRIBE_CONFIGS);
        allow(owner, prefixed(ResourceType.GROUP, app), READ, DESCRIBE);
        allow(owner, prefixed(ResourceType.TRANSACTIONAL_ID, app), WRITE, DESCRIBE);
        allow(MeshPrincipals.principal(MeshPrincipals.CATALOG), literal(ResourceType.TOPIC, Naming.streamsDlqTopic(app)), READ, DESCRIBE);
        for (Naming.ProductVersion input : contract.inputs()) {
            ProductContract read = byTopic.get(Naming.topic(input.product(), input.major()));
            if (read != null && !readers(read, domains).contains(owner)) {
                conflicts.add(contract.product() + " (" + contract.origin() + ") reads " + read.topicName()
                        + ", but " + read.product() + "'s contract does not let " + owner + " read it ("
                        + read.classification().name().toLowerCase() + "; access.readers " + read.access().readers()
                        + "): name " + contract.product().domain() + " in its access.readers");
            }
        }
    }

    private void platform(Set<String> domains) {
        // each domain writes its own catalog topic alone; anyone reads every domain's
        for (String domain : domains) {
            allow(MeshPrincipals.principal(domain), literal(ResourceType.TOPIC, Naming.catalogTopic(domain)), READ, WRITE, CREATE, DESCRIBE);
        }
        allow(ANYONE, prefixed(ResourceType.TOPIC, Naming.CATALOG_PREFIX), READ, DESCRIBE);
        String catalog = MeshPrincipals.principal(MeshPrincipals.CATALOG);
        allow(catalog, literal(ResourceType.GROUP, "*"), DESCRIBE);
        // the marketplace runs in the catalog: it keeps _mesh.access (requests carry reasons and PII flags: nobody else
        // reads them) and provisions the grants it approves (Kafka's CreateAcls and DeleteAcls need ALTER on the
        // cluster); it mirrors the active grants of each domain's products to _mesh.grants.<domain>, which only that
        // domain's services read, to honour them at their doors
        allow(catalog, literal(ResourceType.TOPIC, Naming.ACCESS_TOPIC), READ, WRITE, CREATE, DESCRIBE);
        allow(catalog, prefixed(ResourceType.TOPIC, Naming.GRANTS_PREFIX), READ, WRITE, CREATE, DESCRIBE);
        for (String domain : domains) {
            allow(MeshPrincipals.principal(domain), literal(ResourceType.TOPIC, Naming.grantsTopic(domain)), READ, DESCRIBE);
        }
        allow(catalog, literal(ResourceType.CLUSTER, "kafka-cluster"), AclOperation.ALTER, DESCRIBE);
        String registry = MeshPrincipals.principal(MeshPrincipals.REGISTRY);
        // the audit trail: appended by the platform's principals only, read by the catalog (and the admin)
        for (String writer : List.of(catalog, registry)) {
            allow(writer, literal(ResourceType.TOPIC, Naming.AUDIT_TOPIC), WRITE, CREATE, DESCRIBE);
        }
        allow(catalog, literal(ResourceType.TOPIC, Naming.AUDIT_TOPIC), READ);
        // SLO readings and alerts (the catalog evaluates and writes them alone, in one transaction) and the jobs
        // OpenLineage events reported (each under its reporter, as signed in) and what each group read per day: anyone
        // reads them, so an owner's tools
        // can follow their alerts without the catalog
        for (String topic : List.of(Naming.SLO_TOPIC, Naming.ALERTS_TOPIC, Naming.LINEAGE_TOPIC, Naming.USAGE_TOPIC)) {
            allow(catalog, literal(ResourceType.TOPIC, topic), WRITE, CREATE, DESCRIBE);
            allow(ANYONE, literal(ResourceType.TOPIC, topic), READ, DESCRIBE);
        }
        allow(catalog, literal(ResourceType.TRANSACTIONAL_ID, Naming.SLO_WRITER), WRITE, DESCRIBE);
        allow(registry, literal(ResourceType.TOPIC, Naming.SCHEMAS_TOPIC), READ, WRITE, CREATE, DESCRIBE, DESCRIBE_CONFIGS);
        // the DEK Registry's keys beside the schemas; it releases a product's data key to PII grants, so it reads them
        allow(registry, literal(ResourceType.TOPIC, Naming.DEK_TOPIC), READ, WRITE, CREATE, DESCRIBE, DESCRIBE_CONFIGS);
        allow(registry, prefixed(ResourceType.TOPIC, Naming.GRANTS_PREFIX), READ, DESCRIBE);
        allow(registry, prefixed(ResourceType.GROUP, REGISTRY_GROUP_PREFIX), READ, DESCRIBE);
        allow(registry, prefixed(ResourceType.TRANSACTIONAL_ID, REGISTRY_WRITER_PREFIX), WRITE, DESCRIBE);
    }

    private void allow(String principal, ResourcePattern resource, AclOperation... operations) {
        for (AclOperation operation : operations) {
            bindings.add(new AclBinding(resource, new AccessControlEntry(principal, "*", operation, AclPermissionType.ALLOW)));
        }
    }

    private static ResourcePattern literal(ResourceType type, String name) {
        return new ResourcePattern(type, name, PatternType.LITERAL);
    }

    private static ResourcePattern prefixed(ResourceType type, String name) {
        return new ResourcePattern(type, name, PatternType.PREFIXED);
    }
}
