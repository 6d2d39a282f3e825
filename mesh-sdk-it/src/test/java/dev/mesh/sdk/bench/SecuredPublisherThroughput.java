package dev.mesh.sdk.bench;

import dev.mesh.registry.EmbeddedRegistry;
import dev.mesh.sdk.Mesh;
import dev.mesh.sdk.Product;
import dev.mesh.sdk.Publisher;
import dev.mesh.sdk.contract.ProductContract;
import dev.mesh.sdk.it.model.TestOrder;
import dev.mesh.sdk.security.CredentialStore;
import dev.mesh.sdk.access.MeshAccounts;
import dev.mesh.sdk.security.MeshCredentials;
import dev.mesh.service.security.MeshSecurity;
import dev.mesh.testkit.EmbeddedKafka;
import org.apache.kafka.clients.admin.Admin;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What security costs the publisher: the same Publisher, records and settings against a broker and registry
 * without security and against ones secured as {@code mesh up} runs them (SASL/SCRAM-SHA-512, the standard
 * authorizer with the contract's ACLs, registry basic auth), in one run, rounds interleaved.
 * Args: records (default 300000), linger.ms (default 5).
 */
public final class SecuredPublisherThroughput {
    private static final int ROUNDS = 5;
    private static final int WARMUP_ROUNDS = 2;

    public static void main(String[] args) throws Exception {
        int records = args.length > 0 ? Integer.parseInt(args[0]) : 300_000;
        String linger = args.length > 1 ? args[1] : "5";
        ProductContract contract = PublisherThroughput.contract();
        Path dir = Files.createTempDirectory("secured-bench");
        CredentialStore store = CredentialStore.at(dir.resolve("credentials"));
        MeshCredentials admin = MeshAccounts.admin(store);
        try (EmbeddedKafka plainKafka = EmbeddedKafka.start();
             EmbeddedRegistry plainRegistry = EmbeddedRegistry.start(plainKafka.bootstrapServers());
             EmbeddedKafka securedKafka = EmbeddedKafka.builder().secured(admin.user(), admin.secret()).start()) {
            try (Admin client = securedKafka.admin()) {
                MeshAccounts.provision(client, store, List.of(contract));
            }
            String domain = contract.product().domain();
            Map<String, Object> registrySettings = new HashMap<>(MeshSecurity.settings(store.realm()));
            store.find("registry").orElseThrow().kafkaProperties().forEach((k, v) -> registrySettings.put("kafka." + k, v));
            try (EmbeddedRegistry securedRegistry = EmbeddedRegistry.start(securedKafka.bootstrapServers(), 0, registrySettings)) {
                Map<String, Object> plain = Map.of("bootstrap.servers", plainKafka.bootstrapServers(),
                        "schema.registry.url", plainRegistry.url(), Mesh.APP, "bench", "linger.ms", linger);
                Map<String, Object> secured = new HashMap<>(store.find(domain).orElseThrow().clientProperties());
                secured.putAll(Map.of("bootstrap.servers", securedKafka.bootstrapServers(),
                        "schema.registry.url", securedRegistry.url(), Mesh.APP, "bench", "linger.ms", linger));
                try (Mesh plainMesh = Mesh.connect(plain); Mesh securedMesh = Mesh.connect(secured);
                     Publisher<TestOrder> open = plainMesh.publisher(Product.of(contract, TestOrder.class));
                     Publisher<TestOrder> guarded = securedMesh.publisher(Product.of(contract, TestOrder.class))) {
                    for (int w = 0; w < WARMUP_ROUNDS; w++) {
                        PublisherThroughput.runMesh(open, records);
                        PublisherThroughput.runMesh(guarded, records);
                    }
                    double[] without = new double[ROUNDS];
                    double[] with = new double[ROUNDS];
                    for (int round = 0; round < ROUNDS; round++) {
                        without[round] = PublisherThroughput.runMesh(open, records);
                        with[round] = PublisherThroughput.runMesh(guarded, records);
                        System.out.printf("round %d: without security %.0f, with SASL/SCRAM + ACLs %.0f records/s%n",
                                round + 1, without[round], with[round]);
                    }
                    double a = PublisherThroughput.median(without);
                    double b = PublisherThroughput.median(with);
                    System.out.printf("%nrecords=%d per run, %d rounds, linger.ms=%s acks=all (medians)%n", records, ROUNDS, linger);
                    System.out.printf("mesh Publisher without security: %.0f records/s%n", a);
                    System.out.printf("mesh Publisher with SASL/SCRAM-SHA-512 + ACLs: %.0f records/s%n", b);
                    System.out.printf("ratio (secured / without security): %.2f%n", b / a);
                }
            }
        }
    }
}
