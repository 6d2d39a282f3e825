package dev.mesh.sdk.provision;

import dev.mesh.sdk.contract.ProductContract;
import dev.mesh.sdk.errors.MeshException;
import dev.mesh.sdk.internal.TopicSpec;
import dev.mesh.sdk.internal.publish.ProductRegistration;
import dev.mesh.sdk.provision.PlannedChange.Kind;
import dev.mesh.sdk.registry.CompatibilityLevel;
import dev.mesh.sdk.registry.RegisteredSchema;
import dev.mesh.sdk.registry.RegistryClient;
import dev.mesh.sdk.registry.SchemaRegistryException;
import dev.mesh.sdk.registry.SchemaRequest;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * What the product folders declare against what the cluster and the registry hold: topics (partitions, replicas,
 * settings) and schema subjects (registered schema, compatibility level). Whether a topic that differs was changed
 * by its contract or by hand is told by the contract the registry last took for the product (its metadata), which
 * only the owner writes.
 */
public final class ProvisionPlan {
    private static final long TIMEOUT_SECONDS = 30;

    /** A change and what applying it does; {@code action} is null for what apply cannot or may not do. */
    private record Step(PlannedChange change, Runnable action, boolean needsForce) {
    }

    private final List<Step> steps;

    private ProvisionPlan(List<Step> steps) {
        this.steps = List.copyOf(steps);
    }

    public List<PlannedChange> changes() {
        return steps.stream().map(Step::change).toList();
    }

    /** 0 nothing to do, 1 changes, 2 drift or conflict (as {@code mesh access plan}). */
    public int exitCode() {
        return steps.stream().anyMatch(s -> s.change().kind().isDrift()) ? 2 : steps.isEmpty() ? 0 : 1;
    }

    public boolean hasConflicts() {
        return steps.stream().anyMatch(s -> s.change().kind() == Kind.CONFLICT);
    }

    /**
     * Plans every topic and subject the contracts imply (and the mesh's own topics for their domains) with
     * {@code replicas} replicas each.
     */
    public static ProvisionPlan of(Admin admin, RegistryClient registry, Collection<ProductContract> contracts, short replicas) {
        return plan(admin, Optional.of(registry), contracts, replicas);
    }

    /**
     * The topics alone (the products', their DLQs' and the mesh's own), planned without the registry: what {@code mesh up}
     * applies while its registry starts. A setting that differs is set back to the contract's either way.
     */
    public static ProvisionPlan topics(Admin admin, Collection<ProductContract> contracts, short replicas) {
        return plan(admin, Optional.empty(), contracts, replicas);
    }

    private static ProvisionPlan plan(Admin admin, Optional<RegistryClient> registry, Collection<ProductContract> contracts, short replicas) {
        List<Step> steps = new ArrayList<>();
        Map<String, Declared> declared = new LinkedHashMap<>();
        for (ProductContract c : contracts) {
            Optional<Map<String, String>> published = registry.flatMap(r -> publishedContract(r, c.subject()));
            List<TopicSpec> specs = TopicSpec.of(c, replicas);
            declared.put(specs.get(0).name(), new Declared(specs.get(0), Optional.of(c), published));
            declared.put(specs.get(1).name(), new Declared(specs.get(1), Optional.empty(), Optional.empty()));
        }
        List<TopicSpec> own = new ArrayList<>(List.of(TopicSpec.access(replicas), TopicSpec.audit(replicas)));
        new TreeSet<>(contracts.stream().map(c -> c.product().domain()).toList()).forEach(d -> {
            own.add(TopicSpec.catalog(d, replicas));
            own.add(TopicSpec.grants(d, replicas));
        });
        own.forEach(spec -> declared.put(spec.name(), new Declared(spec, Optional.empty(), Optional.empty())));

        Map<String, TopicDescription> existing = describe(admin, declared.keySet());
        Map<String, Config> configs = configs(admin, existing.keySet());
        for (Declared d : declared.values()) {
            TopicDescription topic = existing.get(d.spec().name());
            if (topic == null) {
                steps.add(create(admin, d.spec()));
            } else {
                compare(admin, d, topic, configs.get(d.spec().name()), steps);
            }
        }
        registry.ifPresent(r -> contracts.forEach(c -> subject(r, c, steps)));
        return new ProvisionPlan(steps);
    }

    /**
     * Applies every change that may be applied: drifted settings are set back to what the contract says, partitions
     * are added only with {@code force}, replicas are never changed. Refuses everything while a change conflicts.
     *
     * @return the changes applied
     */
    public List<PlannedChange> apply(boolean force) {
        if (hasConflicts()) {
            throw new MeshException("the plan has conflicts; nothing applied: "
                    + steps.stream().filter(s -> s.change().kind() == Kind.CONFLICT).map(s -> s.change().line()).toList());
        }
        List<PlannedChange> applied = new ArrayList<>();
        List<Step> creates = steps.stream().filter(s -> s.change().kind() == Kind.CREATE).toList();
        // new topics side by side: each waits on the controller for most of its time (a mesh's worth is dozens)
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            java.util.concurrent.CompletableFuture.allOf(creates.stream()
                    .map(s -> java.util.concurrent.CompletableFuture.runAsync(s.action(), pool))
                    .toArray(java.util.concurrent.CompletableFuture[]::new)).join();
        } catch (java.util.concurrent.CompletionException e) {
            throw e.getCause() instanceof RuntimeException cause ? cause : e;
        } finally {
            pool.shutdown();
        }
        creates.forEach(s -> applied.add(s.change()));
        for (Step step : steps) {
            if (step.change().kind() != Kind.CREATE && step.action() != null && (force || !step.needsForce())) {
                step.action().run();
                applied.add(step.change());
            }
        }
        return applied;
    }

    private record Declared(TopicSpec spec, Optional<ProductContract> contract, Optional<Map<String, String>> published) {
    }

    private static Step create(Admin admin, TopicSpec spec) {
        return new Step(new PlannedChange(Kind.CREATE, spec.name(), spec.partitions() + " partitions, " + spec.replicas()
                + " replicas, " + new java.util.TreeMap<>(spec.configs())), () -> spec.ensure(admin), false);
    }

    private static void compare(Admin admin, Declared d, TopicDescription topic, Config config, List<Step> steps) {
        TopicSpec spec = d.spec();
        int partitions = topic.partitions().size();
        if (partitions > spec.partitions()) {
            steps.add(new Step(new PlannedChange(Kind.CONFLICT, spec.name(), "has " + partitions
                    + " partitions, the contract declares " + spec.partitions() + ": Kafka cannot remove partitions"), null, false));
        } else if (partitions < spec.partitions()) {
            steps.add(new Step(new PlannedChange(Kind.PARTITIONS, spec.name(), "from " + partitions + " to " + spec.partitions()
                    + " partitions: this re-keys, a key's later records land on another partition than its earlier ones"
                    + " (order per key and co-partitioned joins break for records already written); apply adds them only with --force"),
                    () -> await(admin.createPartitions(Map.of(spec.name(), NewPartitions.increaseTo(spec.partitions()))).all(),
                            "add partitions to " + spec.name()), true));
        }
        int replicas = topic.partitions().get(0).replicas().size();
        if (replicas != spec.replicas()) {
            steps.add(new Step(new PlannedChange(Kind.DRIFT, spec.name(), "has " + replicas + " replicas, the mesh's rule gives "
                    + spec.replicas() + ": apply leaves it (reassign its partitions with kafka-reassign-partitions)"), null, false));
        }
        for (Map.Entry<String, String> want : new java.util.TreeMap<>(spec.configs()).entrySet()) {
            ConfigEntry entry = config == null ? null : config.get(want.getKey());
            String actual = entry == null ? null : entry.value();
            if (want.getValue().equals(actual)) {
                continue;
            }
            boolean byContract = d.contract().isPresent() && changedByContract(d.contract().get(), d.published(), want.getKey());
            String detail = want.getKey() + " is " + actual + " on the cluster, " + (byContract
                    ? "the contract changes it to " + want.getValue() + consequence(want.getKey(), want.getValue())
                    : "declared " + want.getValue() + ": changed by hand; apply sets it back");
            steps.add(new Step(new PlannedChange(byContract ? Kind.ALTER : Kind.DRIFT, spec.name(), detail),
                    () -> alter(admin, spec.name(), want.getKey(), want.getValue()), false));
        }
    }

    private static String consequence(String key, String value) {
        return switch (key) {
            case "retention.ms" -> " (records older than " + Duration.ofMillis(Long.parseLong(value)) + " are deleted)";
            case "cleanup.policy" -> value.contains("compact") ? " (older values of a key are removed by compaction)" : " (records are deleted by age only)";
            default -> "";
        };
    }

    /** The contract differs from the one the registry last took for its product in what this setting derives from. */
    private static boolean changedByContract(ProductContract c, Optional<Map<String, String>> published, String key) {
        if (published.isEmpty()) {
            return false;
        }
        Map<String, String> p = published.get();
        return switch (key) {
            case "retention.ms" -> !c.topic().retention().map(Duration::toString).equals(Optional.ofNullable(p.get("retention")));
            case "cleanup.policy" -> !c.topic().cleanupPolicy().equals(p.get("cleanup.policy"));
            default -> false;
        };
    }

    private static void subject(RegistryClient registry, ProductContract c, List<Step> steps) {
        SchemaRequest request = ProductRegistration.request(c);
        CompatibilityLevel level = CompatibilityLevel.parse(c.compatibility()).orElse(CompatibilityLevel.BACKWARD);
        Optional<CompatibilityLevel> current = registry.compatibility(c.subject());
        if (current.isPresent() && current.get() != level) {
            steps.add(new Step(new PlannedChange(Kind.COMPATIBILITY, c.subject(), "is " + current.get() + ", the contract says " + level),
                    () -> registry.setCompatibility(c.subject(), level), false));
        }
        if (registry.lookup(c.subject(), request).isPresent()) {
            return;
        }
        List<String> problems = registry.incompatibilities(c.subject(), request);
        if (!problems.isEmpty()) {
            steps.add(new Step(new PlannedChange(Kind.CONFLICT, c.subject(), "the schema of contract " + c.version()
                    + " is incompatible under " + level + ": " + String.join("; ", problems)), null, false));
            return;
        }
        steps.add(new Step(new PlannedChange(Kind.REGISTER, c.subject(), "the schema of contract " + c.version()
                + (current.isEmpty() ? ", compatibility " + level : "")), () -> {
            registry.setCompatibility(c.subject(), level);
            registry.register(c.subject(), request);
        }, false));
    }

    private static Optional<Map<String, String>> publishedContract(RegistryClient registry, String subject) {
        try {
            RegisteredSchema latest = registry.latest(subject);
            return Optional.ofNullable(latest.metadata()).map(m -> m.properties() == null ? Map.<String, String>of() : m.properties());
        } catch (SchemaRegistryException e) {
            if (e.status() == 404) {
                return Optional.empty();
            }
            throw e;
        }
    }

    private static Map<String, TopicDescription> describe(Admin admin, Set<String> names) {
        Map<String, TopicDescription> found = new LinkedHashMap<>();
        admin.describeTopics(names).topicNameValues().forEach((name, future) -> {
            try {
                found.put(name, future.get(TIMEOUT_SECONDS, TimeUnit.SECONDS));
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
                    throw new MeshException("cannot describe topic " + name + ": " + e.getCause().getMessage(), e.getCause());
                }
            } catch (InterruptedException | java.util.concurrent.TimeoutException e) {
                throw failed("describe topic " + name, e);
            }
        });
        return found;
    }

    private static Map<String, Config> configs(Admin admin, Set<String> topics) {
        if (topics.isEmpty()) {
            return Map.of();
        }
        Map<String, Config> out = new LinkedHashMap<>();
        List<ConfigResource> resources = topics.stream().map(t -> new ConfigResource(ConfigResource.Type.TOPIC, t)).toList();
        await(admin.describeConfigs(resources).all(), "describe topic settings").forEach((r, c) -> out.put(r.name(), c));
        return out;
    }

    private static void alter(Admin admin, String topic, String key, String value) {
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        await(admin.incrementalAlterConfigs(Map.of(resource, List.of(new AlterConfigOp(new ConfigEntry(key, value),
                AlterConfigOp.OpType.SET)))).all(), "set " + key + " of " + topic);
    }

    private static <T> T await(KafkaFuture<T> future, String what) {
        try {
            return future.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new MeshException("cannot " + what + ": " + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException | java.util.concurrent.TimeoutException e) {
            throw failed(what, e);
        }
    }

    private static MeshException failed(String what, Exception e) {
        if (e instanceof InterruptedException) {
            Thread.currentThread().interrupt();
        }
        return new MeshException("cannot " + what + ": " + e, e);
    }
}
