package dev.mesh.sdk;

import dev.mesh.sdk.contract.ProductContract;
import dev.mesh.sdk.errors.MeshException;
import dev.mesh.sdk.migration.MajorMigration;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.streams.kstream.KStream;

import java.util.Optional;

/**
 * Keeps a deprecated major fed while its consumers migrate: every record the owner publishes to the successor is
 * downgraded by the migration the successor's contract declares and written to the older major, exactly once, by
 * a Streams app under the older major's application id (e.g. sales-orders for sales.orders.v1). A record the
 * mapping cannot turn into a valid older record goes to the app's DLQ with the field named. Past the older major's
 * sunset the bridge no longer starts.
 */
public final class MigrationBridge implements Derivation<GenericRecord> {
    private final Product<GenericRecord> older;
    private final Product<GenericRecord> newer;
    private final MajorMigration migration;

    private MigrationBridge(ProductContract older, ProductContract newer) {
        this.migration = MajorMigration.between(older, newer);
        this.older = Product.of(older, GenericRecord.class);
        this.newer = Product.of(newer, GenericRecord.class);
    }

    public static MigrationBridge between(ProductContract older, ProductContract newer) {
        return new MigrationBridge(older, newer);
    }

    /** The bridge into the major {@code newer} migrates from, if its contract declares a migration. */
    public static Optional<MigrationBridge> from(Product<?> newer) {
        return newer.contract().migration().map(m -> new MigrationBridge(Product.all().stream()
                .filter(p -> p.topic().equals(m.fromTopic())).findFirst()
                .orElseThrow(() -> new MeshException(newer.contract().origin() + " migrates from " + m.fromTopic()
                        + ", whose contract is not on the classpath"))
                .contract(), newer.contract()));
    }

    /** The bridges into every major of {@code domain} that a later major on the classpath migrates from. */
    public static java.util.List<MigrationBridge> all(String domain) {
        return Product.all().stream().filter(p -> p.id().domain().equals(domain))
                .map(MigrationBridge::from).flatMap(Optional::stream).toList();
    }

    /** Whether the older major is still fed at {@code now}: until its sunset, if it has one. */
    public boolean runsAt(java.time.Instant now) {
        return older.contract().deprecated().map(d -> !d.isPast(now)).orElse(true);
    }

    /** The older major, which this bridge writes. */
    @Override
    public Product<GenericRecord> product() {
        return older;
    }

    /** The newer major, which this bridge reads. */
    public Product<GenericRecord> source() {
        return newer;
    }

    public MajorMigration migration() {
        return migration;
    }

    @Override
    public KStream<String, GenericRecord> derive(ProductStreams streams) {
        return streams.stream(newer).mapValues(record -> migration.downgrade(record, GenericRecord.class));
    }
}
