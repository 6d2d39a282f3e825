package dev.mesh.sdk.ops;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mesh.sdk.Mesh;
import dev.mesh.sdk.errors.MeshException;
import dev.mesh.sdk.contract.Naming;
import dev.mesh.sdk.catalog.CatalogSnapshot;
import dev.mesh.sdk.catalog.ProductEntry;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What ops tools ask of a mesh, against any cluster: products with their freshness ({@link ProductStatuses}),
 * consumers with their lag in records and time ({@link ConsumerLags}), records of a product decoded
 * ({@link RecordReader}), dead letters ({@link DeadLetterQueues}, {@link Redrive}), over the topic helpers of
 * {@link TopicReader}. The CLI and the web catalog both read through it.
 */
public final class MeshOps implements AutoCloseable {
    static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final Mesh mesh;
    private final TopicReader topics;
    private final ConsumerLags lags;
    private final ProductStatuses statuses;

    public MeshOps(Mesh mesh) {
        this.mesh = mesh;
        this.topics = new TopicReader(mesh);
        this.lags = new ConsumerLags(this);
        this.statuses = new ProductStatuses(this);
    }

    public Mesh mesh() {
        return mesh;
    }

    /** Closes the mesh connection it reads through. */
    @Override
    public void close() {
        topics.close();
        mesh.close();
    }

    public CatalogSnapshot catalog() {
        return mesh.catalog().read();
    }

    /** Resolves {@code sales.orders} (latest major in the catalog) or a topic name such as {@code sales.orders.v1}. */
    public ProductEntry product(CatalogSnapshot catalog, String idOrTopic) {
        return catalog.product(idOrTopic).or(() -> catalog.latest(idOrTopic)).orElseThrow(() -> new MeshException(
                "no product '" + idOrTopic + "' in the catalog; known: " + catalog.products().keySet()));
    }

    /** Topic helpers: descriptions, offsets, record times, read-only consumers. */
    public TopicReader topics() {
        return topics;
    }

    /** Consumer groups' lag on products. */
    public ConsumerLags lags() {
        return lags;
    }

    // ---- the jobs, for callers that want one line ----------------------------------------------------------------

    /** Every product of the catalog with its status; see {@link ProductStatuses}. */
    public List<ProductStatus> products() {
        return statuses.products(catalog());
    }

    /** The status of every product of this catalog snapshot. */
    public List<ProductStatus> products(CatalogSnapshot catalog) {
        return statuses.products(catalog);
    }

    public ProductStatus status(ProductEntry p) {
        return statuses.status(p);
    }

    public ProductStatus status(ProductEntry p, List<ConsumerLag> lags, CatalogSnapshot catalog) {
        return statuses.status(p, lags, catalog);
    }

    /** Lag of every consumer group (or the one named) on every topic it has committed offsets for. */
    public List<ConsumerLag> lag(Optional<String> group) {
        return lags.lag(group);
    }

    public List<ConsumerLag> consumersOf(ProductEntry p, CatalogSnapshot catalog) {
        return lags.consumersOf(p, catalog);
    }

    /** What {@code proposed} as the product's next schema would break; see {@link Impact}. */
    public Impact impact(ProductEntry p, org.apache.avro.Schema proposed, CatalogSnapshot catalog) {
        return new ImpactAnalysis(mesh.registry(), lags).of(p, proposed, catalog);
    }

    public static Optional<Duration> inputLag(ProductEntry p, List<ConsumerLag> lags) {
        return ConsumerLags.inputLag(p, lags);
    }

    /** Reads the product's records decoded; see {@link RecordReader}. */
    public RecordReader reader(ProductEntry p) {
        return new RecordReader(this, p);
    }

    /** Where the product's dead letters are: its own DLQ, its consumers' and its Streams readers'. */
    /** A product's records as one cut, for queries; checked against its contract when the caller has it. */
    public ProductSnapshot snapshot(ProductEntry p, Optional<dev.mesh.sdk.contract.ProductContract> contract) {
        return new ProductSnapshot(this, p, contract);
    }

    public List<DeadLetterQueue> deadLetterQueues(ProductEntry p) {
        return deadLetterQueues(p, catalog());
    }

    public List<DeadLetterQueue> deadLetterQueues(ProductEntry p, CatalogSnapshot catalog) {
        return DeadLetterQueues.of(this, p, catalog);
    }

    /** The product's dead letters in all its queues, and how many of them its readers refused on read. */
    public DeadLetterTally deadLetterTally(ProductEntry p, CatalogSnapshot catalog) {
        return DeadLetterQueues.tallies(this, p, catalog, DeadLetterQueues.topics(this)).values().stream()
                .reduce(DeadLetterTally.NONE, DeadLetterTally::plus);
    }

    /** Queue by queue: the product's dead letters there, and how many of them were refused on read. */
    public Map<DeadLetterQueue, DeadLetterTally> deadLetterTallies(ProductEntry p, CatalogSnapshot catalog) {
        return DeadLetterQueues.tallies(this, p, catalog, DeadLetterQueues.topics(this));
    }

    /** How many dead letters of the product each of its queues holds, queue by queue. */
    public Map<DeadLetterQueue, Long> deadLetterCounts(ProductEntry p, CatalogSnapshot catalog) {
        return DeadLetterQueues.counts(this, p, catalog, DeadLetterQueues.topics(this));
    }

    /**
     * The product's dead letters, up to {@code limit} from each queue: those its publisher refused that still wait
     * for a redrive (after the redrive group's position), then those its consumers and Streams apps refused.
     */
    public List<DeadLetter> deadLetters(ProductEntry p, int limit) {
        return deadLetters(p, catalog(), limit);
    }

    public List<DeadLetter> deadLetters(ProductEntry p, CatalogSnapshot catalog, int limit) {
        List<DeadLetter> out = new ArrayList<>();
        for (DeadLetterQueue q : deadLetterQueues(p, catalog)) {
            out.addAll(q.isPublisher() ? new Redrive(this, p).pending(limit) : DeadLetterQueues.read(this, q, p, limit));
        }
        return out;
    }

    /** Re-validates the product's dead letters against the contract now registered, republishing those that pass. */
    public RedriveReport redrive(ProductEntry p) {
        return new Redrive(this, p).run();
    }

    /** Sum of the topic's end offsets (records ever written, markers included); 0 for a missing topic. */
    public long endOffset(String topic) {
        return topics.endOffset(topic);
    }

    static JsonNode text(String s) {
        return com.fasterxml.jackson.databind.node.TextNode.valueOf(s);
    }

    /** The schema tags whose fields are masked unless the reader may see them. */
    public static final Set<String> PII_TAGS = Set.of("PII");

    static Set<String> pii() {
        return PII_TAGS;
    }

    static String dlqOf(ProductEntry p) {
        return Naming.dlqTopic(p.topic());
    }
}
