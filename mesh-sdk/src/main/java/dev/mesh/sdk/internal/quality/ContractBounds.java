package dev.mesh.sdk.internal.quality;

import dev.mesh.sdk.contract.ProductContract;
import dev.mesh.sdk.contract.QualityRule;
import org.apache.avro.LogicalType;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.IndexedRecord;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a contract promises of every record besides its quality rules: the event time within the contract's
 * {@code eventTime} bounds, every decimal within its schema's precision and scale, every date a day Avro can
 * write, strings and collections within the contract's {@code limits}. Checked where records are written (a
 * publisher, a derived product's serde) and where they are read (a subscriber, a Streams app's inputs), so a
 * record written around the SDK cannot carry what the contract refuses into another domain's product. The checks
 * are compiled once per schema into a tree over field positions: a record costs one pass over its values.
 */
public final class ContractBounds {
    /** A record whose event time lies outside the contract's {@code eventTime} bounds. */
    public static final QualityRule EVENT_TIME = new QualityRule("event-time", null,
            "The record's event time lies within the contract's eventTime bounds.", QualityRule.OnFailure.DLQ, 0);
    /** A value its schema cannot hold (a decimal beyond its precision or scale, a date beyond Avro's int days). */
    public static final QualityRule SCHEMA_BOUNDS = new QualityRule("schema-bounds", null,
            "Every value fits its schema: decimals within precision and scale, dates within Avro's range.",
            QualityRule.OnFailure.DLQ, 0);
    /** A string or a collection beyond the contract's {@code limits}. */
    public static final QualityRule LIMITS = new QualityRule("limits", null,
            "Strings and collections stay within the contract's limits.", QualityRule.OnFailure.DLQ, 0);

    /** Registry metadata properties that carry the bounds, beside the contract's other facts. */
    public static final String EVENT_TIME_FIELD = "eventTime.field";
    public static final String EVENT_TIME_NOT_BEFORE = "eventTime.notBefore";
    public static final String EVENT_TIME_MAX_FUTURE = "eventTime.maxFuture";
    public static final String MAX_STRING_LENGTH = "limits.maxStringLength";
    public static final String MAX_ITEMS = "limits.maxItems";

    private final ProductContract.EventTime eventTime;
    private final int eventTimePosition;
    private final Check check;

    private ContractBounds(ProductContract.EventTime eventTime, ProductContract.Limits limits, Schema schema) {
        this.eventTime = eventTime;
        this.eventTimePosition = eventTime.field().map(schema::getField).map(Schema.Field::pos).orElse(-1);
        this.check = new Compiler(limits).compile(schema, "");
    }

    public static ContractBounds of(ProductContract contract) {
        return new ContractBounds(contract.eventTime(), contract.limits(), contract.schema());
    }

    /** The bounds as a contract's registered schema carries them (its metadata properties, see {@link #metadata}). */
    public static ContractBounds of(Schema schema, Map<String, String> properties) {
        Map<String, String> p = properties == null ? Map.of() : properties;
        java.util.Optional<String> field = java.util.Optional.ofNullable(p.get(EVENT_TIME_FIELD)).filter(f -> schema.getField(f) != null);
        ProductContract.EventTime eventTime = new ProductContract.EventTime(field,
                java.util.Optional.ofNullable(p.get(EVENT_TIME_NOT_BEFORE)).map(Instant::parse).orElse(Instant.EPOCH),
                java.util.Optional.ofNullable(p.get(EVENT_TIME_MAX_FUTURE)).map(java.time.Duration::parse));
        ProductContract.Limits limits = new ProductContract.Limits(
                java.util.Optional.ofNullable(p.get(MAX_STRING_LENGTH)).map(Integer::parseInt).orElse(ProductContract.Limits.DEFAULTS.maxStringLength()),
                java.util.Optional.ofNullable(p.get(MAX_ITEMS)).map(Integer::parseInt).orElse(ProductContract.Limits.DEFAULTS.maxItems()));
        return new ContractBounds(eventTime, limits, schema);
    }

    /** The contract's bounds as registry metadata properties, so a tool with only the registry checks them too. */
    public static Map<String, String> metadata(ProductContract contract) {
        Map<String, String> out = new java.util.LinkedHashMap<>();
        contract.eventTime().field().ifPresent(f -> {
            out.put(EVENT_TIME_FIELD, f);
            out.put(EVENT_TIME_NOT_BEFORE, contract.eventTime().notBefore().toString());
            contract.eventTime().maxFuture().ifPresent(d -> out.put(EVENT_TIME_MAX_FUTURE, d.toString()));
        });
        if (!contract.limits().equals(ProductContract.Limits.DEFAULTS)) {
            out.put(MAX_STRING_LENGTH, Integer.toString(contract.limits().maxStringLength()));
            out.put(MAX_ITEMS, Integer.toString(contract.limits().maxItems()));
        }
        return out;
    }

    /** The first bound the record breaks, or null; {@code now} is the clock the event time is checked against. */
    public RuleFailure check(IndexedRecord record, Instant now) {
        RuleFailure late = eventTime(record, now);
        if (late != null) {
            return late;
        }
        return check == null ? null : check.check(record);
    }

    private RuleFailure eventTime(IndexedRecord record, Instant now) {
        if (eventTimePosition < 0) {
            return null;
        }
        Object value = record.get(eventTimePosition);
        Instant at = value instanceof Instant i ? i : value instanceof Long millis ? Instant.ofEpochMilli(millis) : null;
        return eventTime.violation(at, now)
                .map(why -> new RuleFailure(EVENT_TIME, eventTime.field().orElseThrow() + " " + why))
                .orElse(null);
    }

    /** A check of one value of one schema; null where the schema holds nothing to check. */
    @FunctionalInterface
    private interface Check {
        RuleFailure check(Object value);
    }

    private static final class Compiler {
        private final ProductContract.Limits limits;
        /** Recursive schemas: a record met again while it is compiled checks through this indirection. */
        private final Map<Schema, Check[]> compiling = new IdentityHashMap<>();

        Compiler(ProductContract.Limits limits) {
            this.limits = limits;
        }

        Check compile(Schema schema, String path) {
            LogicalType logical = schema.getLogicalType();
            if (logical instanceof LogicalTypes.Decimal decimal) {
                return decimal(decimal, path);
            }
            if (logical instanceof LogicalTypes.Date) {
                return value -> value instanceof LocalDate d && (d.toEpochDay() > Integer.MAX_VALUE || d.toEpochDay() < Integer.MIN_VALUE)
                        ? new RuleFailure(SCHEMA_BOUNDS, at(path) + " " + d + " is beyond the dates Avro can write") : null;
            }
            return switch (schema.getType()) {
                case RECORD -> record(schema, path);
                case ARRAY -> array(schema, path);
                case MAP -> map(schema, path);
                case UNION -> union(schema, path);
                case STRING -> value -> value instanceof CharSequence s && s.length() > limits.maxStringLength()
                        ? new RuleFailure(LIMITS, at(path) + " has " + s.length() + " characters, more than the contract's "
                        + limits.maxStringLength()) : null;
                default -> null;
            };
        }

        private Check record(Schema schema, String path) {
            Check[] self = compiling.get(schema);
            if (self != null) {
                return value -> self[0] == null ? null : self[0].check(value);
            }
            Check[] slot = new Check[1];
            compiling.put(schema, slot);
            List<int[]> positions = new ArrayList<>();
            List<Check> checks = new ArrayList<>();
            for (Schema.Field f : schema.getFields()) {
                Check c = compile(f.schema(), path.isEmpty() ? f.name() : path + "." + f.name());
                if (c != null) {
                    positions.add(new int[]{f.pos()});
                    checks.add(c);
                }
            }
            compiling.remove(schema);
            if (checks.isEmpty()) {
                return null;
            }
            int[] pos = positions.stream().mapToInt(p -> p[0]).toArray();
            Check[] fields = checks.toArray(Check[]::new);
            slot[0] = value -> {
                if (!(value instanceof IndexedRecord r)) {
                    return null;
                }
                for (int i = 0; i < pos.length; i++) {
                    RuleFailure f = fields[i].check(r.get(pos[i]));
                    if (f != null) {
                        return f;
                    }
                }
                return null;
            };
            return slot[0];
        }

        private Check array(Schema schema, String path) {
            Check items = compile(schema.getElementType(), path + "[]");
            int max = limits.maxItems();
            return value -> {
                if (!(value instanceof Collection<?> list)) {
                    return null;
                }
                if (list.size() > max) {
                    return new RuleFailure(LIMITS, at(path) + " has " + list.size() + " items, more than the contract's " + max);
                }
                if (items != null) {
                    for (Object item : list) {
                        RuleFailure f = items.check(item);
                        if (f != null) {
                            return f;
                        }
                    }
                }
                return null;
            };
        }

        private Check map(Schema schema, String path) {
            Check values = compile(schema.getValueType(), path + "{}");
            Check keys = compile(Schema.create(Schema.Type.STRING), path + " key");
            int max = limits.maxItems();
            return value -> {
                if (!(value instanceof Map<?, ?> map)) {
                    return null;
                }
                if (map.size() > max) {
                    return new RuleFailure(LIMITS, at(path) + " has " + map.size() + " entries, more than the contract's " + max);
                }
                for (Map.Entry<?, ?> e : map.entrySet()) {
                    RuleFailure f = keys.check(e.getKey());
                    if (f == null && values != null) {
                        f = values.check(e.getValue());
                    }
                    if (f != null) {
                        return f;
                    }
                }
                return null;
            };
        }

        private Check union(Schema schema, String path) {
            List<Schema> branches = schema.getTypes();
            Check[] checks = new Check[branches.size()];
            boolean any = false;
            for (int i = 0; i < checks.length; i++) {
                checks[i] = compile(branches.get(i), path);
                any |= checks[i] != null;
            }
            if (!any) {
                return null;
            }
            return value -> {
                if (value == null) {
                    return null;
                }
                int branch;
                try {
                    branch = dev.mesh.sdk.internal.serde.AvroModels.generic().resolveUnion(schema, value);
                } catch (RuntimeException e) {
                    return null; // a value of no branch: its encoding fails and says so
                }
                return checks[branch] == null ? null : checks[branch].check(value);
            };
        }

        private static Check decimal(LogicalTypes.Decimal decimal, String path) {
            int precision = decimal.getPrecision();
            int scale = decimal.getScale();
            return value -> {
                if (value instanceof BigDecimal d) {
                    if (d.scale() > scale && d.stripTrailingZeros().scale() > scale) {
                        return new RuleFailure(SCHEMA_BOUNDS, at(path) + " has scale " + d.scale() + ", more than its schema's " + scale);
                    }
                    int integerDigits = d.precision() - d.scale();
                    if (integerDigits > precision - scale) {
                        return new RuleFailure(SCHEMA_BOUNDS, at(path) + " has " + integerDigits
                                + " digits before the point; decimal(" + precision + "," + scale + ") holds " + (precision - scale));
                    }
                } else if (value instanceof ByteBuffer bytes && bytes.remaining() > 64) {
                    return new RuleFailure(SCHEMA_BOUNDS, at(path) + " is a decimal of " + bytes.remaining()
                            + " bytes, beyond decimal(" + precision + "," + scale + ")");
                }
                return null;
            };
        }

        private static String at(String path) {
            return "field '" + path + "'";
        }
    }
}
