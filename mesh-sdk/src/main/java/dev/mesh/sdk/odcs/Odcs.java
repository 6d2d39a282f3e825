package dev.mesh.sdk.odcs;

import dev.mesh.sdk.contract.ProductContract;
import dev.mesh.sdk.contract.QualityRule;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A product's contract as an Open Data Contract Standard v3.1.0 document: fundamentals (id, name, version, status,
 * domain, description, tags), team and support from the owner, the Kafka server and topic, the schema as ODCS
 * properties (logical types, required, primary key, PII tags with their classification, nested objects and array
 * items as the standard nests them, decimals as {@code decimal(p,s)} physical types, enum symbols as an
 * {@code invalidValues} check with {@code validValues}), the quality rules as CEL ({@code type: custom, engine: cel})
 * and SLA properties from the SLOs and retention. What ODCS has no place for (the product's classification, the exact
 * Avro schema, the mesh's contract) travels in {@code customProperties}, so an import reproduces the product exactly.
 * Every export validates against the standard's JSON Schema (OdcsSchemaTest).
 */
public final class Odcs {
    public static final String API_VERSION = "v3.1.0";
    public static final String MESH_CONTRACT = "meshContract";
    public static final String AVRO_SCHEMA = "avroSchema";
    public static final String CLASSIFICATION = "classification";

    private Odcs() {
    }

    /** The ODCS document of a product, from its contract and the text of its contract file and schema. */
    public static String export(ProductContract c, String contractYaml, String avsc, String bootstrapServers) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("apiVersion", API_VERSION);
        doc.put("kind", "DataContract");
        doc.put("id", c.topicName());
        doc.put("name", c.product().toString());
        doc.put("version", c.version().toString());
        doc.put("status", c.deprecated().isPresent() ? "deprecated" : "active");
        doc.put("domain", c.product().domain());
        doc.put("dataProduct", c.product().name());
        doc.put("description", Map.of("purpose", c.description()));
        if (!c.tags().isEmpty()) {
            doc.put("tags", c.tags());
        }
        doc.put("team", Map.of("name", c.owner().team(),
                "members", List.of(Map.of("username", c.owner().contact(), "role", "owner"))));
        doc.put("support", List.of(Map.of("channel", "email", "url", "mailto:" + c.owner().contact())));
        doc.put("servers", List.of(Map.of("server", "kafka", "type", "kafka", "host", bootstrapServers, "format", "avro")));
        Map<String, Object> object = new LinkedHashMap<>();
        object.put("name", c.schema().getName());
        object.put("physicalName", c.topicName());
        object.put("physicalType", "topic");
        object.put("logicalType", "object");
        if (c.schema().getDoc() != null) {
            object.put("description", c.schema().getDoc());
        }
        object.put("properties", properties(c.schema(), c.keyField(), c.classification().name().toLowerCase()));
        if (!c.quality().isEmpty()) {
            object.put("quality", c.quality().stream().map(Odcs::quality).toList());
        }
        object.put("customProperties", List.of(
                Map.of("property", CLASSIFICATION, "value", c.classification().name().toLowerCase()),
                Map.of("property", AVRO_SCHEMA, "value", avsc)));
        doc.put("schema", List.of(object));
        List<Map<String, Object>> sla = new ArrayList<>();
        c.slo().freshness().ifPresent(f -> sla.add(sla("latency", f)));
        c.topic().retention().ifPresent(r -> sla.add(sla("retention", r)));
        c.slo().availability().ifPresent(a -> sla.add(Map.of("property", "availability", "value", a)));
        if (!sla.isEmpty()) {
            doc.put("slaProperties", sla);
        }
        doc.put("customProperties", List.of(Map.of("property", MESH_CONTRACT, "value", contractYaml)));
        DumperOptions options = new DumperOptions();
        options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        options.setDefaultScalarStyle(DumperOptions.ScalarStyle.PLAIN);
        options.setWidth(120);
        return new Yaml(options).dump(doc);
    }

    private static Map<String, Object> sla(String property, Duration d) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("property", property);
        if (d.toDays() > 0 && d.equals(Duration.ofDays(d.toDays()))) {
            m.put("value", d.toDays());
            m.put("unit", "d");
        } else if (d.toMinutes() > 0 && d.equals(Duration.ofMinutes(d.toMinutes()))) {
            m.put("value", d.toMinutes());
            m.put("unit", "m");
        } else {
            m.put("value", d.toSeconds());
            m.put("unit", "s");
        }
        return m;
    }

    private static Map<String, Object> quality(QualityRule r) {
        Map<String, Object> q = new LinkedHashMap<>();
        q.put("name", r.name());
        if (r.doc() != null && !r.doc().isEmpty()) {
            q.put("description", r.doc());
        }
        q.put("type", "custom");
        q.put("engine", "cel");
        q.put("implementation", r.expr());
        q.put("customProperties", List.of(Map.of("property", "onFailure", "value", r.onFailure().name())));
        return q;
    }

    private static List<Map<String, Object>> properties(Schema record, String key, String classification) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Schema.Field f : record.getFields()) {
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("name", f.name());
            p.putAll(property(f.schema(), classification));
            if (f.doc() != null) {
                p.put("description", f.doc());
            }
            if (f.name().equals(key)) {
                p.put("primaryKey", true);
                p.put("primaryKeyPosition", 1);
            }
            Object tags = f.getObjectProp("confluent:tags");
            if (tags instanceof List<?> list && !list.isEmpty()) {
                p.put("tags", list.stream().map(String::valueOf).toList());
                p.put("classification", classification);
            }
            out.add(p);
        }
        return out;
    }

    /** A property without its name: array items have none. */
    private static Map<String, Object> property(Schema schema, String classification) {
        Map<String, Object> p = new LinkedHashMap<>();
        boolean required = true;
        Schema type = schema;
        if (schema.getType() == Schema.Type.UNION) {
            List<Schema> nonNull = schema.getTypes().stream().filter(t -> t.getType() != Schema.Type.NULL).toList();
            required = nonNull.size() == schema.getTypes().size();
            type = nonNull.size() == 1 ? nonNull.get(0) : schema;
        }
        p.put("logicalType", logicalType(type));
        p.put("physicalType", physicalType(type));
        p.put("required", required);
        if (type.getType() == Schema.Type.ENUM) {
            p.put("quality", List.of(validValues(type.getEnumSymbols())));
        }
        if (type.getType() == Schema.Type.RECORD) {
            p.put("properties", properties(type, "", classification));
        }
        if (type.getType() == Schema.Type.ARRAY) {
            Map<String, Object> items = property(type.getElementType(), classification);
            items.remove("required");
            p.put("items", items);
        }
        return p;
    }

    /** The standard's way to say a value is one of a set (ODCS data quality, library metric invalidValues). */
    private static Map<String, Object> validValues(List<String> symbols) {
        Map<String, Object> q = new LinkedHashMap<>();
        q.put("type", "library");
        q.put("metric", "invalidValues");
        q.put("arguments", Map.of("validValues", symbols));
        q.put("mustBe", 0);
        return q;
    }

    /** ODCS logical types: string, date, timestamp, time, integer, number, boolean, object, array. */
    private static String logicalType(Schema s) {
        String logical = s.getLogicalType() == null ? "" : s.getLogicalType().getName();
        if (logical.equals("date")) {
            return "date";
        }
        if (logical.startsWith("timestamp")) {
            return "timestamp";
        }
        if (logical.startsWith("time-")) {
            return "time";
        }
        if (logical.equals("decimal")) {
            return "number";
        }
        return switch (s.getType()) {
            case STRING, ENUM, FIXED, BYTES -> "string";
            case INT, LONG -> "integer";
            case FLOAT, DOUBLE -> "number";
            case BOOLEAN -> "boolean";
            case RECORD, MAP -> "object";
            case ARRAY -> "array";
            default -> "string";
        };
    }

    /** The Avro type, as a column type names it: {@code decimal(12,2)}, {@code long(timestamp-millis)}, {@code string}. */
    static String physicalType(Schema s) {
        if (s.getLogicalType() instanceof LogicalTypes.Decimal d) {
            return "decimal(" + d.getPrecision() + "," + d.getScale() + ")";
        }
        return s.getLogicalType() != null ? s.getType().getName() + "(" + s.getLogicalType().getName() + ")" : s.getType().getName();
    }
}
