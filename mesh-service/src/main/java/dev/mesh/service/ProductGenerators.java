package dev.mesh.service;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mesh.sdk.Mesh;
import dev.mesh.sdk.Product;
import dev.mesh.sdk.Publisher;
import dev.mesh.sdk.Subscriber;
import dev.mesh.sdk.contract.ProductContract;
import dev.mesh.sdk.contract.ProductId;
import dev.mesh.sdk.intake.JsonRecordReader;
import dev.mesh.sdk.intake.RecordRefusedException;
import dev.mesh.sdk.json.AvroJson;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import jakarta.annotation.PreDestroy;
import org.apache.avro.generic.GenericRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Demo traffic with no code per product: each source product of the domain whose contract has a {@code generator}
 * section gets records drawn from its schema ({@link SampleRecords}) that keep its rules, at its share of
 * {@code generator.rate}; one that follows another product takes the fields they share from a recent record of it.
 */
@Requires(env = DomainService.ENV)
@Requires(condition = GeneratorEnabled.class)
@Context
final class ProductGenerators {
    private static final Logger log = LoggerFactory.getLogger(ProductGenerators.class);
    private static final int ATTEMPTS = 20;
    private static final int REMEMBERED = 1_000;

    private final List<AutoCloseable> running = new ArrayList<>();

    ProductGenerators(Mesh mesh, SourceProducts products, StreamsApps apps, @Value("${generator.rate}") double rate) {
        for (Product<?> product : products.products()) {
            product.contract().generator().ifPresent(g -> start(mesh, products.publisher(product), g, rate, apps));
        }
    }

    private <T> void start(Mesh mesh, Publisher<T> publisher, ProductContract.Generator settings, double rate,
                           StreamsApps apps) {
        ProductContract contract = publisher.contract();
        JsonRecordReader<T> reader = JsonRecordReader.of(contract, publisher.type());
        SampleRecords samples = new SampleRecords(new java.util.Random(), Clock.systemUTC());
        Recent followed = settings.follows().map(id -> follow(mesh, id, contract)).orElse(null);
        Runnable step = () -> {
            Optional<ObjectNode> model = followed == null ? Optional.of(com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode()) : followed.pick();
            model.ifPresent(m -> publishOne(publisher, reader, samples, m));
        };
        running.add(Generator.start(contract.product().toString(), rate * settings.share(), apps::instances, step));
    }

    private static <T> void publishOne(Publisher<T> publisher, JsonRecordReader<T> reader, SampleRecords samples, ObjectNode from) {
        for (int i = 0; i < ATTEMPTS; i++) {
            ObjectNode json = samples.record(publisher.contract().schema());
            from.fields().forEachRemaining(e -> {
                if (json.has(e.getKey()) && !e.getKey().equals(publisher.contract().keyField())) {
                    json.set(e.getKey(), e.getValue());
                }
            });
            try {
                T record = reader.read(json.toString().getBytes(StandardCharsets.UTF_8));
                if (publisher.brokenRule(record).isEmpty()) {
                    publisher.publish(record, Generator.by(publisher.contract().product().domain()));
                    return;
                }
            } catch (RecordRefusedException e) {
                // a followed value that does not fit this schema: draw again
            }
        }
        log.debug("no sample of {} kept its rules in {} attempts", publisher.contract().product(), ATTEMPTS);
    }

    private Recent follow(Mesh mesh, ProductId id, ProductContract follower) {
        Product<?> source = Product.all().stream().filter(p -> p.id().equals(id)).reduce((a, b) -> b)
                .orElseThrow(() -> new IllegalStateException(follower.origin() + " follows " + id + ", which is not on the classpath"));
        Recent recent = new Recent();
        Subscriber<GenericRecord> subscriber = mesh.subscriber(Product.of(source.contract(), GenericRecord.class))
                .group(follower.product().domain() + "-generator-" + follower.product().name())
                .handler(r -> {
                    if (Generator.generated(r)) {
                        recent.add((ObjectNode) AvroJson.toJson(r.value()));
                    }
                }).start();
        running.add(subscriber);
        return recent;
    }

    /** The newest records of a followed product, as JSON; a generator step picks one at random. */
    private static final class Recent {
        private final List<ObjectNode> records = new ArrayList<>();

        synchronized void add(ObjectNode record) {
            if (records.size() == REMEMBERED) {
                records.remove(0);
            }
            records.add(record);
        }

        synchronized Optional<ObjectNode> pick() {
            return records.isEmpty() ? Optional.empty()
                    : Optional.of(records.get(ThreadLocalRandom.current().nextInt(records.size())));
        }
    }

    @PreDestroy
    void stop() {
        for (AutoCloseable c : running) {
            try {
                c.close();
            } catch (Exception e) {
                log.warn("stopping a generator: {}", e.toString());
            }
        }
    }
}
