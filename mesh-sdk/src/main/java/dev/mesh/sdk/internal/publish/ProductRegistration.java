package dev.mesh.sdk.internal.publish;

import dev.mesh.sdk.errors.IncompatibleSchemaException;
import dev.mesh.sdk.errors.ProductNotProvisionedException;
import dev.mesh.sdk.internal.MeshClients;
import dev.mesh.sdk.internal.TopicSpec;
import dev.mesh.sdk.kafka.Topics;
import dev.mesh.sdk.contract.ProductContract;
import dev.mesh.sdk.registry.CompatibilityLevel;
import dev.mesh.sdk.registry.Metadata;
import dev.mesh.sdk.registry.Rule;
import dev.mesh.sdk.registry.RuleSet;
import dev.mesh.sdk.registry.SchemaRequest;
import org.apache.avro.Schema;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What opening a product for writing does, for publishers and Streams apps alike: check that its topics exist (or,
 * where the program provisions itself, create them), then register its schema with the contract as Confluent-style metadata and rule set, refusing an incompatible one.
 */
public final class ProductRegistration {
    private ProductRegistration() {
    }

    /** Returns the registered schema id. */
    public static int register(MeshClients mesh, ProductContract contract) {
        provisioned(mesh, contract, true);
        SchemaRequest request = request(contract);
        CompatibilityLevel level = CompatibilityLevel.parse(contract.compatibility()).orElse(CompatibilityLevel.BACKWARD);
        mesh.registry().setCompatibility(contract.subject(), level);
        List<String> problems = mesh.registry().incompatibilities(contract.subject(), request);
        if (!problems.isEmpty()) {
            throw new IncompatibleSchemaException(contract.subject(), level.name(), problems);
        }
        return mesh.registry().register(contract.subject(), request);
    }

    /**
     * Fails with {@link ProductNotProvisionedException} when the product's topic (and, for its {@code owner}, its DLQ)
     * does not exist, unless this program provisions itself ({@link MeshClients#PROVISION}): then it creates them.
     */
    public static void provisioned(MeshClients mesh, ProductContract contract, boolean owner) {
        if (mesh.provisionsItself()) {
            ensureTopics(mesh, contract);
            return;
        }
        List<String> names = owner ? List.of(contract.topicName(), contract.dlqTopic()) : List.of(contract.topicName());
        List<String> missing = new java.util.ArrayList<>();
        mesh.admin().describeTopics(names).topicNameValues().forEach((name, future) -> {
            try {
                future.get(30, java.util.concurrent.TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException e) {
                if (e.getCause() instanceof org.apache.kafka.common.errors.UnknownTopicOrPartitionException) {
                    missing.add(name);
                }
                // not allowed to describe it: the read or write that follows says so in Kafka's words
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new dev.mesh.sdk.errors.MeshException("interrupted checking " + name, e);
            } catch (java.util.concurrent.TimeoutException e) {
                throw new dev.mesh.sdk.errors.MeshException("cannot reach Kafka to check topic " + name + ": " + e, e);
            }
        });
        if (!missing.isEmpty()) {
            throw new ProductNotProvisionedException(contract.product() + " v" + contract.major(), missing.stream().sorted().toList());
        }
    }

    /** The product's topic and DLQ, with the contract's settings; an existing topic must match its partitions. */
    public static void ensureTopics(MeshClients mesh, ProductContract contract) {
        ensureTopics(mesh.admin(), mesh.replicationFactor(), contract);
    }

    /** As {@link #ensureTopics(MeshClients, ProductContract)}, through any admin client, with {@code rf} replicas. */
    public static void ensureTopics(org.apache.kafka.clients.admin.Admin admin, short rf, ProductContract contract) {
        TopicSpec.of(contract, rf).forEach(spec -> spec.ensure(admin));
    }

    /** The contract as the registry carries it: metadata properties and a CEL CONDITION rule per quality rule. */
    public static SchemaRequest request(ProductContract c) {
        Map<String, String> props = new LinkedHashMap<>();
        props.put("product", c.product().toString());
        props.put("version", c.version().toString());
        props.put("owner", c.owner().team());
        props.put("owner.contact", c.owner().contact());
        props.put("description", c.description());
        props.put("key", c.keyField());
        props.put("classification", c.classification().name().toLowerCase(java.util.Locale.ROOT));
        c.classificationReason().ifPresent(reason -> props.put("classification.reason", reason));
        props.put("partitions", Integer.toString(c.topic().partitions()));
        props.put("cleanup.policy", c.topic().cleanupPolicy());
        c.topic().retention().ifPresent(r -> props.put("retention", r.toString()));
        c.slo().freshness().ifPresent(f -> props.put("slo.freshness", f.toString()));
        c.slo().availability().ifPresent(a -> props.put("slo.availability", a));
        if (!c.tags().isEmpty()) {
            props.put("tags", String.join(",", c.tags()));
        }
        props.putAll(dev.mesh.sdk.internal.quality.ContractBounds.metadata(c));
        if (c.isDerived()) {
            props.put("inputs", String.join(",", c.inputs().stream().map(v -> v.topic()).toList()));
        }
        Map<String, Set<String>> fieldTags = new TreeMap<>();
        collectTags(c.schema(), c.schema().getName(), fieldTags, new java.util.HashSet<>());
        List<Rule> rules = new java.util.ArrayList<>(c.quality().stream().map(q -> RegistryRules.toRegistry(q, c.dlqTopic(), c.schema())).toList());
        // PII is encrypted in the topic, by Confluent's rule, so any client with the key reads it and no other does
        dev.mesh.sdk.encryption.EncryptRule.forContract(c).ifPresent(e -> rules.add(e.toRegistry()));
        return new SchemaRequest(c.schema().toString(), null, List.of(),
                new Metadata(fieldTags, props, null),
                rules.isEmpty() ? null : new RuleSet(null, rules));
    }

    /** Field tags such as PII, written in the schema as {@code "confluent:tags": ["PII"]}. */
    @SuppressWarnings("unchecked")
    static void collectTags(Schema schema, String path, Map<String, Set<String>> out, Set<String> visited) {
        switch (schema.getType()) {
            case RECORD -> {
                if (!visited.add(schema.getFullName())) {
                    return;
                }
                for (Schema.Field f : schema.getFields()) {
                    Object tags = f.getObjectProp("confluent:tags");
                    String fieldPath = path + "." + f.name();
                    if (tags instanceof List<?> list && !list.isEmpty()) {
                        out.put(fieldPath, new java.util.TreeSet<>((List<String>) list));
                    }
                    collectTags(f.schema(), fieldPath, out, visited);
                }
            }
            case ARRAY -> collectTags(schema.getElementType(), path, out, visited);
            case MAP -> collectTags(schema.getValueType(), path, out, visited);
            case UNION -> schema.getTypes().forEach(t -> collectTags(t, path, out, visited));
            default -> {
            }
        }
    }
}
