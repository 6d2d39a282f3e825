package dev.mesh.sdk.contract.loader;

import dev.mesh.sdk.contract.ContractException;
import dev.mesh.sdk.contract.DurationText;
import dev.mesh.sdk.contract.ProductContract;
import dev.mesh.sdk.contract.QualityRule;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import dev.mesh.sdk.contract.Naming;
import dev.mesh.sdk.contract.ProductId;
import dev.mesh.sdk.contract.ProductContract.Classification;
import dev.mesh.sdk.contract.ProductContract.EventTime;
import dev.mesh.sdk.contract.ProductContract.Generator;
import dev.mesh.sdk.contract.ProductContract.Intake;
import dev.mesh.sdk.contract.ProductContract.Limits;
import dev.mesh.sdk.contract.ProductContract.Owner;
import dev.mesh.sdk.contract.ProductContract.SemVer;
import dev.mesh.sdk.contract.ProductContract.Slo;
import dev.mesh.sdk.contract.ProductContract.TopicSettings;
import dev.mesh.sdk.contract.loader.YamlMap.Scalar;
import dev.mesh.sdk.internal.quality.CompiledRules;
import dev.mesh.sdk.internal.quality.RuleCompileException;
import dev.mesh.sdk.registry.CompatibilityLevel;
import org.apache.avro.Schema;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/** Reads one contract file: every field checked, every problem collected before anything is thrown. */
final class ContractParser {
    static final int DEFAULT_PARTITIONS = 3;
    static final String DEFAULT_CLEANUP = "delete";
    static final CompatibilityLevel DEFAULT_COMPATIBILITY = CompatibilityLevel.BACKWARD;
    static final Classification DEFAULT_CLASSIFICATION = Classification.INTERNAL;
    /** Confluent's rule semantics: a rule that names no action fails the write. */
    static final QualityRule.OnFailure DEFAULT_ON_FAILURE = QualityRule.OnFailure.ERROR;

    private static final List<String> TOP_LEVEL = List.of("product", "version", "owner", "description", "key",
            "schema", "topic", "compatibility", "classification", "tags", "slo", "quality", "inputs", "eventTime", "limits", "intake", "generator", "access", "classificationReason", "deprecated", "migration");
    private static final List<String> DEPRECATED = List.of("successor", "sunset");
    private static final List<String> MIGRATION = List.of("from", "upgrade", "downgrade");
    private static final List<String> ACCESS = List.of("readers");
    /** A reader is a Kafka principal, or a domain name standing for {@code User:<domain>}. */
    private static final Pattern READER = Pattern.compile("User:[A-Za-z0-9._@-]+|[a-z][a-z0-9]*(-[a-z0-9]+)*");
    private static final List<String> INTAKE = List.of("fill");
    private static final List<String> GENERATOR = List.of("follows", "share");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([^}]*)}");
    private static final List<String> EVENT_TIME = List.of("field", "notBefore", "maxFuture");
    private static final List<String> LIMITS = List.of("maxStringLength", "maxItems");
    private static final List<String> TOPIC = List.of("partitions", "retention", "cleanup");
    private static final List<String> SLO = List.of("freshness", "availability", "window", "volume", "deadLetterRatio", "consumerLag", "latency");
    private static final List<String> VOLUME = List.of("min", "max");
    private static final List<String> RULE = List.of("name", "expr", "onFailure", "doc");
    private static final List<String> CLEANUP_POLICIES = List.of("delete", "compact");
    /** Rule names travel in DLQ headers and metric tags: keep them to one plain word. */
    private static final Pattern RULE_NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_-]*");
    private static final Pattern PERCENTAGE = Pattern.compile("(\\d{1,3}(\\.\\d+)?)%");

    private final String origin;
    private final ContractLoader.SiblingReader siblings;
    private final Problems problems;

    ContractParser(String origin, ContractLoader.SiblingReader siblings) {
        this.origin = origin;
        this.siblings = siblings;
        this.problems = new Problems(origin);
    }

    ProductContract parse(String yaml) {
        YamlMap top = new YamlMap("", root(yaml), problems);
        top.rejectUnknownKeys(TOP_LEVEL);
        Optional<ProductId> product = top.requiredText("product").flatMap(this::productId);
        Optional<SemVer> version = top.requiredText("version").flatMap(this::version);
        Optional<Owner> owner = owner(top);
        Optional<String> description = top.requiredText("description").map(Scalar::value);
        Optional<Scalar> key = top.requiredText("key");
        Optional<Schema> schema = top.requiredText("schema").flatMap(this::schema);
        if (schema.isPresent() && key.isPresent()) {
            checkKeyField(schema.get(), key.get());
        }
        TopicSettings topic = topic(top);
        CompatibilityLevel compatibility = top.text("compatibility").flatMap(this::compatibility).orElse(DEFAULT_COMPATIBILITY);
        Classification classification = top.text("classification").flatMap(this::classification).orElse(DEFAULT_CLASSIFICATION);
        Optional<String> classificationReason = top.text("classificationReason").map(Scalar::value);
        List<String> tags = top.textItems("tags").stream().map(Scalar::value).toList();
        Slo slo = slo(top);
        List<QualityRule> quality = quality(top, schema);
        List<Naming.ProductVersion> inputs = inputs(top, product, version);
        if (slo.latency().isPresent() && inputs.isEmpty()) {
            top.map("slo").flatMap(m -> m.text("latency")).ifPresent(at -> problem(at,
                    "latency is measured from a source record to the derived record: only a product with inputs has one"));
        }
        EventTime eventTime = eventTime(top, schema);
        Limits limits = limits(top);
        Intake intake = intake(top, schema);
        Optional<Generator> generator = generator(top);
        ProductContract.Access access = access(top);
        Optional<ProductContract.Deprecation> deprecated = deprecated(top, product, version);
        Optional<ProductContract.Migration> migration = migration(top, product, version);
        problems.throwIfAny();
        return new ProductContract(origin, product.orElseThrow(), version.orElseThrow(), owner.orElseThrow(),
                description.orElseThrow(), key.orElseThrow().value(), schema.orElseThrow(), topic, compatibility.name(),
                classification, classificationReason, tags, slo, quality, inputs, eventTime, limits, intake, generator, access, deprecated, migration);
    }

    private MappingNode root(String yaml) {
        return YamlDocument.root(origin, yaml, "contract", "product, version, owner, ...");
    }

    private Optional<ProductId> productId(Scalar text) {
        try {
            return Optional.of(ProductId.parse(text.value()));
        } catch (IllegalArgumentException e) {
            problem(text, e.getMessage());
            return Optional.empty();
        }
    }

    private Optional<SemVer> version(Scalar text) {
        Optional<SemVer> version = SemVer.parse(text.value());
        if (version.isEmpty()) {
            problem(text, "'" + text.value() + "' is not a semantic version; expected MAJOR.MINOR.PATCH, e.g. 1.2.0");
        } else if (version.get().major() < 1) {
            problem(text, "major version 0 is not allowed: the major is the topic version (.v1, .v2, ...)");
            return Optional.empty();
        }
        return version;
    }

    private Optional<Owner> owner(YamlMap top) {
        return YamlDocument.owner(top);
    }

    private Optional<Schema> schema(Scalar file) {
        Optional<String> text;
        try {
            text = siblings.read(file.value());
        } catch (IOException e) {
            problem(file, "cannot read schema file '" + file.value() + "': " + e.getMessage());
            return Optional.empty();
        }
        if (text.isEmpty()) {
            problem(file, "schema file '" + file.value() + "' not found beside the contract");
            return Optional.empty();
        }
        Schema schema;
        try {
            schema = new Schema.Parser().parse(text.get());
        } catch (RuntimeException e) { // SchemaParseException, or AvroRuntimeException for a bad default
            problem(file, "schema file '" + file.value() + "' is not a valid Avro schema: " + avroProblem(e));
            return Optional.empty();
        }
        if (schema.getType() != Schema.Type.RECORD) {
            problem(file, "schema file '" + file.value() + "' holds a " + schema.getType().getName()
                    + " schema; a product's records must be an Avro record");
            return Optional.empty();
        }
        return Optional.of(schema);
    }

    /** Avro passes JSON syntax errors on as Jackson's, whose message is unreadable without this. */
    private static String avroProblem(RuntimeException e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof JsonProcessingException json) {
                JsonLocation at = json.getLocation();
                return "not JSON: " + json.getOriginalMessage().replaceAll("\\s*\\(start marker at .*\\)", "")
                        + (at == null ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + " of the file)");
            }
        }
        return e.getMessage();
    }

    /** Keys are UTF-8 strings on the wire, and every record must have one: a required top-level string field. */
    private void checkKeyField(Schema schema, Scalar key) {
        Schema.Field field = schema.getField(key.value());
        if (field == null) {
            List<String> names = schema.getFields().stream().map(Schema.Field::name).toList();
            String hint = ClosestName.among(key.value(), names).map(n -> "; did you mean '" + n + "'?")
                    .orElse("; its fields are " + String.join(", ", names));
            problem(key, "key field '" + key.value() + "' is not a top-level field of schema " + schema.getName() + hint);
        } else if (field.schema().getType() != Schema.Type.STRING) {
            problem(key, "key field '" + key.value() + "' must be a required string (keys are UTF-8 strings), but it is "
                    + describe(field.schema()));
        }
    }

    private static String describe(Schema schema) {
        if (schema.getType() == Schema.Type.UNION) {
            return "a union of " + String.join(" and ", schema.getTypes().stream().map(s -> s.getType().getName()).toList());
        }
        return "a " + schema.getType().getName();
    }

    private TopicSettings topic(YamlMap top) {
        Optional<YamlMap> topic = top.map("topic");
        topic.ifPresent(t -> t.rejectUnknownKeys(TOPIC));
        int partitions = topic.flatMap(t -> t.text("partitions")).flatMap(this::partitions).orElse(DEFAULT_PARTITIONS);
        Optional<Duration> retention = topic.flatMap(t -> t.text("retention")).flatMap(this::duration);
        String cleanup = topic.flatMap(t -> t.text("cleanup")).flatMap(this::cleanup).orElse(DEFAULT_CLEANUP);
        return new TopicSettings(partitions, retention, cleanup);
    }

    private Optional<Integer> partitions(Scalar text) {
        try {
            int partitions = Integer.parseInt(text.value());
            if (partitions >= 1) {
                return Optional.of(partitions);
            }
        } catch (NumberFormatException e) {
            // reported below, same as a number below 1
        }
        problem(text, "'" + text.value() + "' is not a partition count; expected a whole number of at least 1");
        return Optional.empty();
    }

    private Optional<Duration> duration(Scalar text) {
        Optional<Duration> duration = DurationText.parse(text.value());
        if (duration.isEmpty()) {
            problem(text, "'" + text.value() + "' is not a duration; " + DurationText.EXPECTED);
        } else if (duration.get().isZero()) {
            problem(text, "a duration of zero means nothing here; give a positive one");
            return Optional.empty();
        }
        return duration;
    }

    private Optional<String> cleanup(Scalar text) {
        String policy = text.value().toLowerCase(Locale.ROOT);
        if (CLEANUP_POLICIES.contains(policy)) {
            return Optional.of(policy);
        }
        problem(text, "unknown cleanup policy '" + text.value() + "'; expected one of " + String.join(", ", CLEANUP_POLICIES));
        return Optional.empty();
    }

    private Optional<CompatibilityLevel> compatibility(Scalar text) {
        Optional<CompatibilityLevel> level = CompatibilityLevel.parse(text.value());
        if (level.isEmpty()) {
            List<String> names = Arrays.stream(CompatibilityLevel.values()).map(Enum::name).toList();
            problem(text, "unknown level '" + text.value() + "'; expected one of " + String.join(", ", names)
                    + ClosestName.among(text.value(), names).map(n -> "; did you mean " + n + "?").orElse(""));
        }
        return level;
    }

    private Optional<Classification> classification(Scalar text) {
        List<String> names = Arrays.stream(Classification.values()).map(c -> c.name().toLowerCase(Locale.ROOT)).toList();
        String name = text.value().toLowerCase(Locale.ROOT);
        if (names.contains(name)) {
            return Optional.of(Classification.valueOf(name.toUpperCase(Locale.ROOT)));
        }
        problem(text, "unknown classification '" + text.value() + "'; expected one of " + String.join(", ", names));
        return Optional.empty();
    }

    private Slo slo(YamlMap top) {
        Optional<YamlMap> slo = top.map("slo");
        slo.ifPresent(s -> s.rejectUnknownKeys(SLO));
        Optional<Duration> freshness = slo.flatMap(s -> s.text("freshness")).flatMap(this::duration);
        Optional<String> availability = slo.flatMap(s -> s.text("availability")).flatMap(this::availability);
        Duration window = slo.flatMap(s -> s.text("window")).flatMap(this::duration).orElse(Slo.DEFAULT_WINDOW);
        Optional<ProductContract.Volume> volume = slo.flatMap(s -> s.map("volume")).flatMap(this::volume);
        Optional<Double> deadLetterRatio = slo.flatMap(s -> s.text("deadLetterRatio")).flatMap(this::ratio);
        Optional<Duration> consumerLag = slo.flatMap(s -> s.text("consumerLag")).flatMap(this::duration);
        Optional<Duration> latency = slo.flatMap(s -> s.text("latency")).flatMap(this::duration);
        return new Slo(freshness, availability, window, volume, deadLetterRatio, consumerLag, latency);
    }

    /** {@code volume: {min: 100, max: 100000}}: records per window; at least one bound, min no more than max. */
    private Optional<ProductContract.Volume> volume(YamlMap map) {
        map.rejectUnknownKeys(VOLUME);
        Optional<Long> min = map.text("min").flatMap(this::count);
        Optional<Long> max = map.text("max").flatMap(this::count);
        if (!map.has("min") && !map.has("max")) {
            problems.add(map.line(), map.field("min"), "a volume needs a min, a max or both (records per window)");
            return Optional.empty();
        }
        if (min.isPresent() && max.isPresent() && min.get() > max.get()) {
            problems.add(map.line(), map.field("max"), "max " + max.get() + " is below min " + min.get());
            return Optional.empty();
        }
        return Optional.of(new ProductContract.Volume(min, max));
    }

    private Optional<Long> count(Scalar text) {
        try {
            long n = Long.parseLong(text.value());
            if (n >= 0) {
                return Optional.of(n);
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        problem(text, "'" + text.value() + "' is not a record count; expected a whole number of at least 0");
        return Optional.empty();
    }

    /** {@code deadLetterRatio: 1%}: a share above 0 and at most 100%. */
    private Optional<Double> ratio(Scalar text) {
        var m = PERCENTAGE.matcher(text.value());
        if (m.matches()) {
            double percent = Double.parseDouble(m.group(1));
            if (percent > 0 && percent <= 100) {
                return Optional.of(percent / 100);
            }
        }
        problem(text, "'" + text.value() + "' is not a ratio; expected a percentage above 0 and at most 100, e.g. 1%");
        return Optional.empty();
    }

    /** {@code eventTime: {field: occurredAt, notBefore: 2000-01-01, maxFuture: 5m}}; the field must be a timestamp. */
    private EventTime eventTime(YamlMap top, Optional<Schema> schema) {
        Optional<YamlMap> map = top.map("eventTime");
        if (map.isEmpty()) {
            return EventTime.NONE;
        }
        map.get().rejectUnknownKeys(EVENT_TIME);
        Optional<Scalar> field = map.get().requiredText("field");
        if (field.isPresent() && schema.isPresent()) {
            Schema.Field f = topLevelField(field.get(), field.get().value(), schema.get());
            String logical = f == null || f.schema().getLogicalType() == null ? null : f.schema().getLogicalType().getName();
            if (f != null && !"timestamp-millis".equals(logical) && !"timestamp-micros".equals(logical)) {
                problem(field.get(), "field '" + f.name() + "' is " + f.schema() + "; the event time must be a timestamp-millis or timestamp-micros");
            }
        }
        Instant notBefore = map.get().text("notBefore").flatMap(this::notBefore).orElse(Instant.EPOCH);
        Optional<Duration> maxFuture = map.get().text("maxFuture").flatMap(this::duration);
        return new EventTime(field.map(Scalar::value), notBefore, maxFuture);
    }

    private Optional<Instant> notBefore(Scalar text) {
        try {
            Instant at = text.value().length() == 10 ? java.time.LocalDate.parse(text.value()).atStartOfDay(java.time.ZoneOffset.UTC).toInstant()
                    : Instant.parse(text.value());
            if (at.isBefore(Instant.EPOCH)) {
                problem(text, "notBefore " + text.value() + " is before 1970-01-01, where Kafka record times start");
                return Optional.empty();
            }
            return Optional.of(at);
        } catch (java.time.format.DateTimeParseException e) {
            problem(text, "'" + text.value() + "' is not a date or instant; write 2000-01-01 or 2000-01-01T00:00:00Z");
            return Optional.empty();
        }
    }

    /** {@code limits: {maxStringLength: 2000, maxItems: 100}}: bounds at intake, within the SDK's own. */
    private Limits limits(YamlMap top) {
        Optional<YamlMap> map = top.map("limits");
        if (map.isEmpty()) {
            return Limits.DEFAULTS;
        }
        map.get().rejectUnknownKeys(LIMITS);
        int strings = map.get().text("maxStringLength").flatMap(t -> positive(t, 1_000_000)).orElse(Limits.DEFAULTS.maxStringLength());
        int items = map.get().text("maxItems").flatMap(t -> positive(t, 100_000)).orElse(Limits.DEFAULTS.maxItems());
        return new Limits(strings, items);
    }

    /** The schema's top-level field {@code name}, or null with a problem at {@code where} naming the closest one. */
    private Schema.Field topLevelField(Scalar where, String name, Schema schema) {
        Schema.Field f = schema.getField(name);
        if (f == null) {
            problem(where, "no field '" + name + "' in " + schema.getName()
                    + ClosestName.among(name, schema.getFields().stream().map(Schema.Field::name).toList())
                    .map(n -> "; did you mean '" + n + "'?").orElse(""));
        }
        return f;
    }

    /** {@code access: {readers: [finance, "User:analytics"]}}: who may read besides the owner. */
    private ProductContract.Access access(YamlMap top) {
        Optional<YamlMap> map = top.map("access");
        if (map.isEmpty()) {
            return ProductContract.Access.NONE;
        }
        map.get().rejectUnknownKeys(ACCESS);
        List<String> readers = new ArrayList<>();
        for (Scalar reader : map.get().textItems("readers")) {
            if (!READER.matcher(reader.value()).matches()) {
                problem(reader, "'" + reader.value() + "' is neither a domain (e.g. finance) nor a Kafka principal"
                        + " (e.g. User:analytics)");
            } else {
                String principal = reader.value().startsWith("User:") ? reader.value() : "User:" + reader.value();
                if (!readers.contains(principal)) {
                    readers.add(principal);
                }
            }
        }
        return new ProductContract.Access(readers);
    }

    /** {@code intake: {fill: {orderId: "o-{uuid}", placedAt: "{now}"}}}: top-level fields the service may fill in. */
    private Intake intake(YamlMap top, Optional<Schema> schema) {
        Optional<YamlMap> map = top.map("intake");
        if (map.isEmpty()) {
            return Intake.NONE;
        }
        map.get().rejectUnknownKeys(INTAKE);
        Optional<YamlMap> fill = map.get().map("fill");
        Map<String, String> templates = new java.util.LinkedHashMap<>();
        if (fill.isEmpty()) {
            return Intake.NONE;
        }
        for (String name : fill.get().keys()) {
            Optional<Scalar> template = fill.get().requiredText(name);
            if (template.isEmpty()) {
                continue;
            }
            Schema.Field field = schema.map(sc -> topLevelField(template.get(), name, sc)).orElse(null);
            if (schema.isPresent() && field == null) {
                continue;
            }
            var placeholders = PLACEHOLDER.matcher(template.get().value());
            boolean ok = true;
            while (placeholders.find()) {
                if (!placeholders.group(1).equals("uuid") && !placeholders.group(1).equals("now")) {
                    problem(template.get(), "unknown placeholder {" + placeholders.group(1) + "}; use {uuid} or {now}");
                    ok = false;
                }
            }
            if (ok && (field == null || fillFits(template.get(), field))) {
                templates.put(name, template.get().value());
            }
        }
        return new Intake(templates);
    }

    /**
     * Whether the template makes a value the field takes as a client's string would: any text for a string field, a
     * symbol for an enum, {@code {now}} or an instant for a timestamp. Otherwise every intake would answer 400 for
     * what is the contract's mistake, so it is refused here.
     */
    private boolean fillFits(Scalar template, Schema.Field field) {
        Schema type = field.schema();
        if (type.getType() == Schema.Type.UNION) {
            List<Schema> nonNull = type.getTypes().stream().filter(t -> t.getType() != Schema.Type.NULL).toList();
            type = nonNull.size() == 1 ? nonNull.get(0) : type;
        }
        String text = template.value();
        String logical = type.getLogicalType() == null ? "" : type.getLogicalType().getName();
        boolean fits = switch (type.getType()) {
            case STRING -> logical.isEmpty() || (logical.equals("uuid") && text.equals("{uuid}"));
            case ENUM -> type.getEnumSymbols().contains(text);
            case LONG -> logical.startsWith("timestamp-") && (text.equals("{now}") || isInstant(text));
            default -> false;
        };
        if (!fits) {
            problem(template, "cannot fill field '" + field.name() + "' (" + describe(type) + ") with '" + text
                    + "': a fill is text for a string field, a symbol for an enum"
                    + (type.getType() == Schema.Type.ENUM ? " " + type.getEnumSymbols() : "")
                    + ", or {now} or an instant for a timestamp");
        }
        return fits;
    }

    private static boolean isInstant(String text) {
        try {
            Instant.parse(text);
            return true;
        } catch (java.time.format.DateTimeParseException e) {
            return false;
        }
    }

    /** {@code generator: {follows: sales.orders, share: 0.2}}. */
    /** {@code deprecated: {successor: sales.orders.v2, sunset: 2027-06-30}}: a later major of the same product. */
    private Optional<ProductContract.Deprecation> deprecated(YamlMap top, Optional<ProductId> product, Optional<SemVer> version) {
        Optional<YamlMap> map = top.map("deprecated");
        if (map.isEmpty()) {
            return Optional.empty();
        }
        map.get().rejectUnknownKeys(DEPRECATED);
        Optional<Scalar> successor = map.get().requiredText("successor");
        Optional<Scalar> sunset = map.get().requiredText("sunset");
        if (successor.isEmpty() || sunset.isEmpty()) {
            return Optional.empty();
        }
        Optional<Naming.ProductVersion> next = Naming.parseTopic(successor.get().value());
        if (next.isEmpty() || product.isPresent() && !next.get().product().equals(product.get())
                || version.isPresent() && next.get().major() <= version.get().major()) {
            problem(successor.get(), "'" + successor.get().value() + "' is not a later major of this product; expected e.g. "
                    + product.map(p -> Naming.topic(p, version.map(v -> v.major() + 1).orElse(2))).orElse("sales.orders.v2"));
            return Optional.empty();
        }
        try {
            return Optional.of(new ProductContract.Deprecation(successor.get().value(), java.time.LocalDate.parse(sunset.get().value())));
        } catch (java.time.format.DateTimeParseException e) {
            problem(sunset.get(), "'" + sunset.get().value() + "' is not a date; expected YYYY-MM-DD");
            return Optional.empty();
        }
    }

    /**
     * {@code migration: {from: sales.orders.v1, upgrade: <JSONata>, downgrade: <JSONata>}}: an earlier major of the
     * same product, with both directions (each must parse).
     */
    private Optional<ProductContract.Migration> migration(YamlMap top, Optional<ProductId> product, Optional<SemVer> version) {
        Optional<YamlMap> map = top.map("migration");
        if (map.isEmpty()) {
            return Optional.empty();
        }
        map.get().rejectUnknownKeys(MIGRATION);
        Optional<Scalar> from = map.get().requiredText("from");
        Optional<Scalar> upgrade = map.get().requiredText("upgrade").filter(this::isJsonata);
        Optional<Scalar> downgrade = map.get().requiredText("downgrade").filter(this::isJsonata);
        if (from.isEmpty()) {
            return Optional.empty();
        }
        Optional<Naming.ProductVersion> earlier = Naming.parseTopic(from.get().value());
        if (earlier.isEmpty() || product.isPresent() && !earlier.get().product().equals(product.get())
                || version.isPresent() && earlier.get().major() >= version.get().major()) {
            problem(from.get(), "'" + from.get().value() + "' is not an earlier major of this product; expected e.g. "
                    + product.map(p -> Naming.topic(p, version.map(v -> Math.max(1, v.major() - 1)).orElse(1))).orElse("sales.orders.v1"));
            return Optional.empty();
        }
        if (upgrade.isEmpty() || downgrade.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new ProductContract.Migration(earlier.get(), upgrade.get().value(), downgrade.get().value()));
    }

    private boolean isJsonata(Scalar expression) {
        try {
            com.dashjoin.jsonata.Jsonata.jsonata(expression.value());
            return true;
        } catch (RuntimeException e) {
            problem(expression, "not a JSONata expression: " + e.getMessage());
            return false;
        }
    }

    private Optional<Generator> generator(YamlMap top) {
        if (!top.has("generator")) {
            return Optional.empty();
        }
        Optional<YamlMap> map = top.map("generator");
        if (map.isEmpty()) {
            return Optional.of(new Generator(Optional.empty(), 1.0));
        }
        map.get().rejectUnknownKeys(GENERATOR);
        double share = map.get().text("share").flatMap(this::share).orElse(1.0);
        return Optional.of(new Generator(map.get().text("follows").flatMap(this::productId), share));
    }

    private Optional<Double> share(Scalar text) {
        try {
            double share = Double.parseDouble(text.value());
            if (share > 0 && share <= 100) {
                return Optional.of(share);
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        problem(text, "'" + text.value() + "' must be a number above 0 and at most 100: records per generator step");
        return Optional.empty();
    }

    private Optional<Integer> positive(Scalar text, int max) {
        try {
            int n = Integer.parseInt(text.value());
            if (n >= 1 && n <= max) {
                return Optional.of(n);
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        problem(text, "'" + text.value() + "' must be a whole number from 1 to " + max);
        return Optional.empty();
    }

    private Optional<String> availability(Scalar text) {
        var m = PERCENTAGE.matcher(text.value());
        if (m.matches()) {
            double percent = Double.parseDouble(m.group(1));
            if (percent > 0 && percent <= 100) {
                return Optional.of(text.value());
            }
        }
        problem(text, "'" + text.value() + "' is not an availability; expected a percentage above 0 and at most 100, e.g. 99.9%");
        return Optional.empty();
    }

    private List<QualityRule> quality(YamlMap top, Optional<Schema> schema) {
        List<QualityRule> rules = new ArrayList<>();
        Map<QualityRule, Scalar> expressions = new IdentityHashMap<>();
        Set<String> names = new HashSet<>();
        List<Node> items = top.list("quality");
        for (int i = 0; i < items.size(); i++) {
            String field = top.field("quality") + "[" + i + "]";
            if (!(items.get(i) instanceof MappingNode mapping)) {
                problems.add(items.get(i), field, "expected a rule: a mapping with name, expr, onFailure and doc");
                continue;
            }
            YamlMap item = new YamlMap(field, mapping, problems);
            item.rejectUnknownKeys(RULE);
            Optional<Scalar> name = item.requiredText("name");
            name.ifPresent(n -> {
                if (!RULE_NAME.matcher(n.value()).matches()) {
                    problem(n, "rule name '" + n.value() + "' must start with a letter and hold only letters, digits, '-' and '_'");
                } else if (!names.add(n.value())) {
                    problem(n, "rule name '" + n.value() + "' is used by an earlier rule; names must be unique");
                }
            });
            Optional<Scalar> expr = item.requiredText("expr");
            QualityRule.OnFailure onFailure = item.text("onFailure").flatMap(this::onFailure).orElse(DEFAULT_ON_FAILURE);
            String doc = item.text("doc").map(Scalar::value).orElse(null);
            if (name.isPresent() && expr.isPresent()) {
                QualityRule rule = new QualityRule(name.get().value(), expr.get().value(), doc, onFailure, item.line());
                rules.add(rule);
                expressions.put(rule, expr.get());
            }
        }
        schema.ifPresent(s -> compileAgainst(s, rules, expressions));
        return rules;
    }

    private void compileAgainst(Schema schema, List<QualityRule> rules, Map<QualityRule, Scalar> expressions) {
        try {
            CompiledRules.compile(schema, rules);
        } catch (RuleCompileException e) {
            e.problems().forEach(p -> problem(expressions.get(p.rule()), p.toString()));
        }
    }

    private Optional<QualityRule.OnFailure> onFailure(Scalar text) {
        try {
            return Optional.of(QualityRule.OnFailure.valueOf(text.value().toUpperCase(Locale.ROOT)));
        } catch (IllegalArgumentException e) {
            problem(text, "unknown action '" + text.value() + "'; expected one of DLQ (dead-letter the record), "
                    + "ERROR (fail the publish) or NONE (only count it)");
            return Optional.empty();
        }
    }

    private List<Naming.ProductVersion> inputs(YamlMap top, Optional<ProductId> product, Optional<SemVer> version) {
        List<Naming.ProductVersion> inputs = new ArrayList<>();
        for (Scalar text : top.textItems("inputs")) {
            Optional<Naming.ProductVersion> input;
            try {
                input = Naming.parseTopic(text.value());
            } catch (IllegalArgumentException e) {
                problem(text, "input '" + text.value() + "': " + e.getMessage());
                continue;
            }
            if (input.isEmpty()) {
                problem(text, "input '" + text.value() + "' is not a product topic; expected <domain>.<name>.v<major>, e.g. sales.orders.v1");
            } else if (product.equals(Optional.of(input.get().product())) && version.map(SemVer::major).equals(Optional.of(input.get().major()))) {
                problem(text, "a product cannot be built from itself");
            } else if (inputs.contains(input.get())) {
                problem(text, "input '" + text.value() + "' is listed twice");
            } else {
                inputs.add(input.get());
            }
        }
        return inputs;
    }

    private void problem(Scalar at, String message) {
        problems.add(at.line(), at.field(), message);
    }
}
