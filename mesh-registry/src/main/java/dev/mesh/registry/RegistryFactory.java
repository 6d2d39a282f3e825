package dev.mesh.registry;

import io.micronaut.context.annotation.Requires;
import dev.mesh.registry.core.SchemaRegistryService;
import dev.mesh.registry.leader.LeaderElection;
import dev.mesh.registry.leader.WriteForwarder;
import dev.mesh.registry.store.RegistryState;
import dev.mesh.registry.store.SchemaLog;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Value;
import io.micronaut.context.env.Environment;
import io.micronaut.core.naming.conventions.StringConvention;
import jakarta.inject.Singleton;
import dev.mesh.sdk.policy.Lint;
import dev.mesh.sdk.Product;
import dev.mesh.sdk.audit.AuditLog;
import org.apache.kafka.clients.admin.Admin;
import dev.mesh.sdk.policy.PolicySet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Wires the store and the service. Every {@code kafka.*} property (e.g. env {@code KAFKA_BOOTSTRAP_SERVERS},
 * {@code KAFKA_SECURITY_PROTOCOL}) is passed to the Kafka clients untouched.
 */
@Requires(env = RegistryApplication.ENV)
@Factory
final class RegistryFactory {
    private static final Logger log = LoggerFactory.getLogger(RegistryFactory.class);

    @Singleton
    RegistryState state() {
        return new RegistryState();
    }

    /**
     * Membership in the registry cluster, like Confluent's {@code schema.registry.group.id} and
     * {@code leader.eligibility}: instances on the same topic and group elect one leader among the eligible ones.
     */
    @Singleton
    @Bean(preDestroy = "close")
    LeaderElection election(Environment env, @Value("${registry.topic:_schemas}") String topic,
                            @Value("${registry.leader-eligibility:true}") boolean eligible,
                            @Value("${registry.session-timeout:6s}") Duration sessionTimeout) {
        String groupId = env.getProperty("registry.group-id", String.class).orElse("mesh-registry." + topic);
        return new LeaderElection(kafka(env), groupId, topic, eligible, sessionTimeout);
    }

    @Context
    @Bean(preDestroy = "close")
    SchemaLog<RegistryState> schemaLog(Environment env, RegistryState state, LeaderElection election,
                        @Value("${registry.topic:_schemas}") String topic,
                        @Value("${registry.timeout:30s}") Duration timeout) {
        // One transactional id per store topic, shared by every instance: a newly elected leader fences the last.
        String writerId = env.getProperty("registry.writer-id", String.class).orElse("mesh-registry-writer-" + topic);
        return new SchemaLog<>(kafka(env), topic, writerId, timeout, state, election).start();
    }

    /**
     * The DEK Registry: its keys in their own compacted log ({@code registry.dek-topic}, by default Confluent's
     * {@code _dek_registry_keys} beside {@code _schemas}), written by the same elected leader as the schemas. A shared KEK of the local KMS
     * takes its secret from {@code registry.encryption.secret} (else the environment's {@code LOCAL_SECRET}).
     */
    @Context
    @Bean(preDestroy = "close")
    dev.mesh.registry.dek.DekRegistryService dekRegistry(Environment env, LeaderElection election,
                        @Value("${registry.topic:_schemas}") String schemaTopic,
                        @Value("${registry.dek-topic:}") String dekTopic,
                        @Value("${registry.timeout:30s}") Duration timeout,
                        @Value("${registry.encryption.secret:}") String secret,
                        @Value("${registry.dek-max-keys:20000}") int maxKeys) {
        // registries on their own schema topic (tests sharing a cluster) keep their own keys too
        String topic = !dekTopic.isBlank() ? dekTopic : schemaTopic.equals(dev.mesh.sdk.contract.Naming.SCHEMAS_TOPIC)
                ? dev.mesh.sdk.contract.Naming.DEK_TOPIC : schemaTopic + dev.mesh.sdk.contract.Naming.DEK_TOPIC;
        String writerId = "mesh-registry-writer-" + topic;
        dev.mesh.registry.dek.DekState state = new dev.mesh.registry.dek.DekState();
        SchemaLog<dev.mesh.registry.dek.DekState> keys = new SchemaLog<>(kafka(env), topic, writerId, timeout, state,
                election, false).start();
        Map<String, String> kms = secret.isBlank() ? Map.of() : Map.of(dev.mesh.sdk.encryption.LocalKms.SECRET, secret);
        return new dev.mesh.registry.dek.DekRegistryService(state, keys, kms, maxKeys, java.time.Clock.systemUTC());
    }

    /** The audit trail the registry tells its changes to ({@code _mesh.audit}, created here if it is missing). */
    @Singleton
    @Bean(preDestroy = "close")
    AuditLog audit(Environment env) {
        Map<String, Object> kafka = kafka(env);
        try (Admin admin = Admin.create(kafka)) {
            int brokers = admin.describeCluster().nodes().get(30, java.util.concurrent.TimeUnit.SECONDS).size();
            AuditLog.ensureTopic(admin, (short) Math.min(3, brokers));
        } catch (Exception e) {
            log.warn("could not make sure the audit trail {} exists: {}", dev.mesh.sdk.contract.Naming.AUDIT_TOPIC, e.getMessage());
        }
        return new AuditLog(kafka);
    }

    private static Map<String, Object> kafka(Environment env) {
        Map<String, Object> kafka = new HashMap<>(env.getProperties("kafka", StringConvention.RAW));
        kafka.putIfAbsent("bootstrap.servers", "localhost:9092");
        return kafka;
    }

    @Singleton
    WriteForwarder forwarder(LeaderElection election, @Value("${registry.timeout:30s}") Duration timeout) {
        return new WriteForwarder(election, timeout);
    }

    @Singleton
    SchemaRegistryService service(RegistryState state, SchemaLog<RegistryState> log,
                                  @Value("${registry.max-schema-chars:1048576}") int maxSchemaChars,
                                  @Value("${registry.policies:}") String policies) {
        return new SchemaRegistryService(state, log, maxSchemaChars, policies(policies));
    }

    /**
     * The mesh's policies the registry enforces on registered contracts: {@code registry.policies} (a file, with the
     * domains' own under {@code products/<domain>/policies.yaml} beside it, as in schemas/), else {@code policies.yaml}
     * and {@code products/<domain>/policies.yaml} on the class path (the schemas jar's, beside the registry in
     * {@code mesh up}), else none.
     */
    private static PolicySet policies(String file) {
        try {
            if (!file.isBlank()) {
                return PolicySet.load(Path.of(file), Path.of(file).resolveSibling("products"));
            }
            Optional<String> global = resource("/" + Lint.POLICIES);
            if (global.isEmpty()) {
                log.info("no policies.yaml on the class path and no registry.policies: contracts are not checked against policies");
                return null;
            }
            Map<String, List<dev.mesh.sdk.policy.Policy>> domains = new LinkedHashMap<>();
            for (String domain : new TreeSet<>(Product.all().stream().map(p -> p.id().domain()).toList())) {
                String path = "/products/" + domain + "/policies.yaml";
                resource(path).ifPresent(yaml -> domains.put(domain, PolicySet.read("classpath:" + path, yaml)));
            }
            return PolicySet.of(PolicySet.read("classpath:/" + Lint.POLICIES, global.get()), domains);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the registry's policies: " + e.getMessage(), e);
        }
    }

    private static Optional<String> resource(String path) throws IOException {
        try (var in = RegistryFactory.class.getResourceAsStream(path)) {
            return in == null ? Optional.empty() : Optional.of(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }
}
