package dev.mesh.local.bench;

import dev.mesh.sdk.Mesh;
import dev.mesh.sdk.Product;
import dev.mesh.sdk.Publisher;
import dev.mesh.sdk.contract.ProductContract;
import dev.mesh.sdk.contract.loader.ContractLoader;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;

import java.io.FileReader;
import java.io.Reader;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * Adds source products to a running mesh, as a domain would publish them: {@code sales.bench-001} ... each with a
 * contract, a schema, a topic and one record, so that commands over every product can be measured with many; and idle
 * consumer groups of sales.orders.v2, abandoned halfway through each partition (each lags in records and in time).
 * Args: the admin's client properties file, how many products, how many idle groups.
 */
public final class AddProducts {
    private static final String SCHEMA = """
            {"type": "record", "name": "Reading", "namespace": "dev.mesh.bench", "doc": "A reading of a bench product.",
             "fields": [{"name": "readingId", "type": "string", "doc": "Unique id."},
                        {"name": "value", "type": "long", "doc": "What was read."}]}""";

    public static void main(String[] args) throws Exception {
        Properties admin = new Properties();
        try (Reader in = new FileReader(args[0])) {
            admin.load(in);
        }
        int count = Integer.parseInt(args[1]);
        Map<String, Object> config = new HashMap<>();
        admin.forEach((k, v) -> config.put(String.valueOf(k), v));
        int groups = args.length > 2 ? Integer.parseInt(args[2]) : 0;
        config.put("bootstrap.servers", "localhost:9092");
        config.put("schema.registry.url", "http://localhost:8081");
        config.put(Mesh.APP, "bench-products");
        config.put(Mesh.PROVISION, "apply");
        Schema schema = new Schema.Parser().parse(SCHEMA);
        try (Mesh mesh = Mesh.connect(config)) {
            for (int i = 1; i <= count; i++) {
                String name = String.format("bench-%03d", i);
                String yaml = """
                        product: sales.%s
                        version: 1.0.0
                        owner: {team: sales, contact: sales-data@shop.example}
                        description: "A product added to measure commands over many products."
                        key: readingId
                        schema: Reading.avsc
                        topic: {partitions: 3, retention: 1d}
                        compatibility: BACKWARD
                        slo: {freshness: 1h}
                        """.formatted(name);
                ProductContract contract = ContractLoader.parse("bench/" + name, yaml,
                        file -> file.equals("Reading.avsc") ? Optional.of(SCHEMA) : Optional.empty());
                try (Publisher<GenericRecord> publisher = mesh.publisher(Product.of(contract, GenericRecord.class))) {
                    GenericRecord reading = new GenericData.Record(schema);
                    reading.put("readingId", name + "-" + Instant.now().toEpochMilli());
                    reading.put("value", (long) i);
                    publisher.publish(reading).get(30, TimeUnit.SECONDS);
                }
            }
            String orders = "sales.orders.v2";
            var partitions = mesh.admin().describeTopics(java.util.List.of(orders)).allTopicNames().get().get(orders).partitions().stream()
                    .map(p -> new org.apache.kafka.common.TopicPartition(orders, p.partition())).toList();
            var ends = mesh.admin().listOffsets(partitions.stream().collect(java.util.stream.Collectors.toMap(tp -> tp,
                    tp -> org.apache.kafka.clients.admin.OffsetSpec.latest()))).all().get();
            Map<org.apache.kafka.common.TopicPartition, org.apache.kafka.clients.consumer.OffsetAndMetadata> halfway = new HashMap<>();
            ends.forEach((tp, end) -> halfway.put(tp, new org.apache.kafka.clients.consumer.OffsetAndMetadata(end.offset() / 2)));
            for (int g = 1; g <= groups; g++) {
                mesh.admin().alterConsumerGroupOffsets(String.format("bench-idle-%02d", g), halfway).all().get();
            }
        }
        System.out.println("added " + count + " products and " + groups + " idle consumer groups");
    }
}
