package dev.mesh.catalog;

import dev.mesh.sdk.catalog.ProductEntry;
import org.apache.avro.Schema;

/** Copy-paste code that reads a product: with the SDK (typed, contract-checked) and with kcat (any shell). */
public final class ConsumeSnippets {
    private ConsumeSnippets() {
    }

    /** The SDK subscriber; the generated class and the contract come from the {@code schemas} artifact. */
    public static String sdk(ProductEntry p, Schema schema, String bootstrapServers, String registryUrl) {
        String type = schema == null ? "org.apache.avro.generic.GenericRecord" : schema.getFullName();
        String simple = type.substring(type.lastIndexOf('.') + 1);
        String domain = CatalogSnapshots.domainOf(p);
        String name = p.product().substring(domain.length() + 1);
        return """
                // dependencies: dev.mesh:mesh-sdk, dev.mesh:schemas (contract and generated class %s)
                // signed in as your principal ("you"): its client.properties (mesh up: .mesh/credentials/you.properties)
                Properties config = new Properties();
                config.load(Files.newBufferedReader(Path.of("you.properties")));
                config.putAll(Map.of(
                        "bootstrap.servers", "%s",
                        "schema.registry.url", "%s",
                        "mesh.app", "you-my-app"));
                try (Mesh mesh = Mesh.connect((Map) config);
                     Subscriber<%s> subscriber = mesh.subscriber(
                                 ContractLoader.loadResource("/products/%s/%s/v%d/contract.yaml"), %s.class)
                             // your groups start with your principal's name: the ACLs grant you those
                             .group("you-my-app.%s")
                             .handler(record -> System.out.println(record.key() + " " + record.value()))
                             .start()) {
                    Thread.currentThread().join();
                }
                """.formatted(type, bootstrapServers, registryUrl, simple, domain, name, p.major(), simple, p.product());
    }

    /**
     * kcat decodes the Confluent wire format with the registry; keys are UTF-8 strings. {@code -F}: the reader's
     * credentials as {@code mesh up} writes them for kcat; the registry wants the same principal's login, which
     * libserdes takes from the URL. Only some kcat builds can run it, and the snippet says which: Avro needs libserdes,
     * and SCRAM with Kafka 4 needs librdkafka 2.6.1 or later (Debian 12's kcat has neither).
     */
    public static String kcat(ProductEntry p, String bootstrapServers, String registryUrl) {
        return "# kcat built with Avro (libserdes) on librdkafka >= 2.6.1 (older ones cannot sign in with SCRAM to Kafka 4)\n"
                + "# LOGIN: basic.auth.user.info from your .properties (user:secret)\n"
                + "kcat -C -b " + bootstrapServers + " -F you.kcat.conf -t " + p.topic() + " -s key=s -s value=avro -r "
                + registryUrl.replaceFirst("://", "://\\$LOGIN@")
                + " -o -5 -e -f 'partition %p offset %o key %k\\n%s\\n'";
    }
}
