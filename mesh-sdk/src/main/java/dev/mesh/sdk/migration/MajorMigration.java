package dev.mesh.sdk.migration;

import com.dashjoin.jsonata.Jsonata;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.mesh.sdk.contract.ProductContract;
import dev.mesh.sdk.errors.MeshException;
import dev.mesh.sdk.intake.FieldProblem;
import dev.mesh.sdk.intake.JsonRecordReader;
import dev.mesh.sdk.intake.RecordRefusedException;
import dev.mesh.sdk.json.AvroJson;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Runs a later major's declared {@link ProductContract.Migration}: a record of one major becomes the other's by its
 * JSONata expression over the record's JSON (as {@code mesh tail} prints it), and the result is read through the
 * target major's schema and contract like any intake, so a mapping that produces a wrong field is named, never
 * written.
 */
public final class MajorMigration {
    private static final JsonMapper JSON = JsonMapper.builder().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS).build();

    private final ProductContract older;
    private final ProductContract newer;
    private final Direction up;
    private final Direction down;

    private MajorMigration(ProductContract older, ProductContract newer) {
        ProductContract.Migration m = newer.migration().orElseThrow(() -> new MeshException(
                newer.origin() + " declares no migration; add migration: {from, upgrade, downgrade}"));
        if (!m.fromTopic().equals(older.topicName())) {
            throw new MeshException(newer.origin() + " migrates from " + m.fromTopic() + ", not " + older.topicName());
        }
        this.older = older;
        this.newer = newer;
        this.up = new Direction("upgrade", m.upgrade(), older, newer);
        this.down = new Direction("downgrade", m.downgrade(), newer, older);
    }

    /** The migration {@code newer}'s contract declares from {@code older}. */
    public static MajorMigration between(ProductContract older, ProductContract newer) {
        return new MajorMigration(older, newer);
    }

    public ProductContract older() {
        return older;
    }

    public ProductContract newer() {
        return newer;
    }

    /**
     * An older major's record as the newer major's {@code type}.
     *
     * @throws RecordRefusedException naming the newer major's fields the mapped record gets wrong
     */
    public <T> T upgrade(Object record, Class<T> type) {
        return up.apply(record, type);
    }

    /** The newer major's record as the older major's {@code type}; throws as {@link #upgrade}. */
    public <T> T downgrade(Object record, Class<T> type) {
        return down.apply(record, type);
    }

    /** One direction: its expression (one parsed copy per thread, as evaluation keeps state) and the target's readers. */
    private static final class Direction {
        private final String name;
        private final String expression;
        private final String where;
        private final ProductContract to;
        private final ThreadLocal<Jsonata> compiled;
        private final Map<Class<?>, JsonRecordReader<?>> readers = new ConcurrentHashMap<>();

        Direction(String name, String expression, ProductContract from, ProductContract to) {
            this.name = name;
            this.expression = expression;
            this.to = to;
            // both directions are declared in the newer major's contract
            this.where = name + " " + from.topicName() + " → " + to.topicName() + " declared in "
                    + (from.major() > to.major() ? from : to).origin();
            this.compiled = ThreadLocal.withInitial(() -> Jsonata.jsonata(expression));
        }

        @SuppressWarnings("unchecked")
        <T> T apply(Object record, Class<T> type) {
            Object input = JSON.convertValue(AvroJson.toJson(record), Object.class);
            Object output;
            try {
                output = compiled.get().evaluate(input);
            } catch (RuntimeException e) {
                throw refused("$", "the " + name + " expression failed: " + e.getMessage());
            }
            JsonNode mapped = JSON.valueToTree(output);
            if (mapped == null || !mapped.isObject()) {
                throw refused("$", "the " + name + " expression gave " + (mapped == null || mapped.isNull() ? "nothing" : mapped.getNodeType())
                        + ", not a record");
            }
            JsonRecordReader<T> reader = (JsonRecordReader<T>) readers.computeIfAbsent(type, t -> JsonRecordReader.of(to, t));
            try {
                return reader.read(mapped);
            } catch (RecordRefusedException e) {
                throw new RecordRefusedException(e.problems().stream()
                        .map(p -> new FieldProblem(p.field(), p.message() + " (" + where + ")")).toList(), false);
            }
        }

        private RecordRefusedException refused(String field, String message) {
            return new RecordRefusedException(List.of(new FieldProblem(field, message + " (" + where + ")")), false);
        }
    }
}
