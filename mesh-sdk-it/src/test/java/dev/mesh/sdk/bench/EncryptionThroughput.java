package dev.mesh.sdk.bench;

import dev.mesh.registry.EmbeddedRegistry;
import dev.mesh.sdk.Mesh;
import dev.mesh.sdk.Product;
import dev.mesh.sdk.Publisher;
import dev.mesh.sdk.Subscriber;
import dev.mesh.sdk.contract.ProductContract;
import dev.mesh.sdk.it.TestMesh;
import dev.mesh.testkit.EmbeddedKafka;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;

import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What PII encryption costs: the same Publisher and Subscriber, records and settings, on a product whose two PII fields
 * are encrypted in the topic (AES-256-GCM, Confluent's format) and on the same product without the tags, against one
 * broker and registry, rounds interleaved. The anchor of each ratio is the plain product in the same run; a third
 * product, plain with name and e-mail as long as their ciphertexts, separates what the ciphers cost from what the
 * longer values cost the producer, the broker and the consumer.
 * Args: records (default 300000), linger.ms (default 5).
 */
public final class EncryptionThroughput {
    private static final int ROUNDS = 5;
    private static final int WARMUP_ROUNDS = 2;

    public static void main(String[] args) throws Exception {
        int records = args.length > 0 ? Integer.parseInt(args[0]) : 300_000;
        String linger = args.length > 1 ? args[1] : "5";
        String domain = TestMesh.uniqueDomain();
        ProductContract encrypted = TestMesh.contract("people", domain, Map.of("${reader}", domain));
        ProductContract plain = TestMesh.contract("people", domain, Map.of("${reader}", domain, "people", "plain-people",
                ", \"confluent:tags\": [\"PII\"]", ""));
        ProductContract sized = TestMesh.contract("people", domain, Map.of("${reader}", domain, "people", "sized-people",
                ", \"confluent:tags\": [\"PII\"]", ""));
        try (EmbeddedKafka kafka = EmbeddedKafka.start();
             EmbeddedRegistry registry = EmbeddedRegistry.start(kafka.bootstrapServers(), 0,
                     Map.of("registry.encryption.secret", UUID.randomUUID().toString()))) {
            Map<String, Object> config = Map.of("bootstrap.servers", kafka.bootstrapServers(),
                    "schema.registry.url", registry.url(), Mesh.APP, "bench", "linger.ms", linger);
            try (Mesh mesh = Mesh.connect(config);
                 Publisher<GenericRecord> sealed = mesh.publisher(Product.of(encrypted, GenericRecord.class));
                 Publisher<GenericRecord> open = mesh.publisher(Product.of(plain, GenericRecord.class));
                 Publisher<GenericRecord> long_ = mesh.publisher(Product.of(sized, GenericRecord.class))) {
                for (int w = 0; w < WARMUP_ROUNDS; w++) {
                    publish(open, records, 0);
                    publish(sealed, records, 0);
                    publish(long_, records, CIPHERTEXT_OVERHEAD);
                }
                double[] pubPlain = new double[ROUNDS];
                double[] pubSealed = new double[ROUNDS];
                double[] subPlain = new double[ROUNDS];
                double[] subSealed = new double[ROUNDS];
                double[] pubSized = new double[ROUNDS];
                double[] subSized = new double[ROUNDS];
                for (int round = 0; round < ROUNDS; round++) {
                    pubPlain[round] = publish(open, records, 0);
                    pubSealed[round] = publish(sealed, records, 0);
                    pubSized[round] = publish(long_, records, CIPHERTEXT_OVERHEAD);
                    subPlain[round] = read(mesh, plain, records);
                    subSealed[round] = read(mesh, encrypted, records);
                    subSized[round] = read(mesh, sized, records);
                    System.out.printf("round %d: publish plain %.0f, encrypted %.0f, plain as long %.0f; read plain %.0f, decrypting %.0f, plain as long %.0f records/s%n",
                            round + 1, pubPlain[round], pubSealed[round], pubSized[round], subPlain[round], subSealed[round], subSized[round]);
                }
                double pp = PublisherThroughput.median(pubPlain);
                double ps = PublisherThroughput.median(pubSealed);
                double sp = PublisherThroughput.median(subPlain);
                double ss = PublisherThroughput.median(subSealed);
                System.out.printf("%nrecords=%d per run, %d rounds, linger.ms=%s acks=all (medians)%n", records, ROUNDS, linger);
                System.out.printf("Publisher, product without PII tags: %.0f records/s%n", pp);
                System.out.printf("Publisher, two fields encrypted:     %.0f records/s%n", ps);
                System.out.printf("ratio (encrypted / plain publisher): %.2f%n", ps / pp);
                System.out.printf("Subscriber, product without PII tags: %.0f records/s%n", sp);
                System.out.printf("Subscriber, decrypting two fields:    %.0f records/s%n", ss);
                System.out.printf("ratio (decrypting / plain subscriber): %.2f%n", ss / sp);
                double pl = PublisherThroughput.median(pubSized);
                double sl = PublisherThroughput.median(subSized);
                System.out.printf("Publisher, plain values as long as the ciphertexts: %.0f records/s%n", pl);
                System.out.printf("ratio (encrypted / plain publisher of the same size): %.2f%n", ps / pl);
                System.out.printf("Subscriber, plain values as long as the ciphertexts: %.0f records/s%n", sl);
                System.out.printf("ratio (decrypting / plain subscriber of the same size): %.2f%n", ss / sl);
            }
        }
    }

    /** How much longer the ciphertexts are here: base64 of IV (12), text and tag (16), 43 and 47 characters more. */
    private static final int CIPHERTEXT_OVERHEAD = 45;

    /** Publishes {@code records}, name and e-mail {@code longer} characters longer than the encrypted product's. */
    private static double publish(Publisher<GenericRecord> publisher, int records, int longer) throws Exception {
        GenericRecord[] pool = new GenericRecord[1024];
        for (int i = 0; i < pool.length; i++) {
            GenericData.Record r = new GenericData.Record(publisher.contract().schema());
            r.put("personId", "p-" + i);
            String pad = "x".repeat(longer);
            r.put("name", "Person Number " + i + pad);
            r.put("email", "person" + i + "@example.com" + pad);
            r.put("country", "NL");
            pool[i] = r;
        }
        return PublisherThroughput.run(publisher, pool, records);
    }

    /** A new group reads the first {@code records} records of the product (values decoded, and decrypted). */
    private static double read(Mesh mesh, ProductContract contract, int records) throws Exception {
        AtomicLong seen = new AtomicLong();
        CountDownLatch done = new CountDownLatch(1);
        long start = System.nanoTime();
        try (Subscriber<GenericRecord> s = mesh.subscriber(Product.of(contract, GenericRecord.class))
                .group("bench-" + UUID.randomUUID()).handler(r -> {
                    if (r.value().get("name") == null) {
                        throw new IllegalStateException("no name");
                    }
                    if (seen.incrementAndGet() == records) {
                        done.countDown();
                    }
                }).start()) {
            if (!done.await(10, TimeUnit.MINUTES)) {
                throw new IllegalStateException("read only " + seen.get() + " of " + records);
            }
            return records / ((System.nanoTime() - start) / 1e9);
        }
    }
}
