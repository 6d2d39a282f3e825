package dev.mesh.sdk.odcs;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mesh.sdk.contract.ProductContract.SemVer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A product made from the standard's own fields, for an ODCS document the mesh did not export (the standard's
 * examples, another platform's contracts). What had to change to make it a product (a name with spaces, a 0.x
 * version, a property that must be the key) is kept as a note for the user; what the mesh cannot represent (no
 * domain, no fields, a key that is not a string) is refused naming the document's field and what to do.
 */
final class ForeignDocument {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern AVRO_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final Pattern DECIMAL = Pattern.compile("(?i)(?:decimal|numeric|number)\\s*\\(\\s*(\\d+)\\s*(?:,\\s*(\\d+)\\s*)?\\)");
    private static final int MAX_DEPTH = 32;
    private static final Set<String> NARROW_INTEGERS = Set.of("i8", "i16", "i32", "u8", "u16");
    private static final Map<String, String> UNITS = Map.ofEntries(Map.entry("s", "s"), Map.entry("sec", "s"),
            Map.entry("second", "s"), Map.entry("seconds", "s"), Map.entry("m", "m"), Map.entry("min", "m"),
            Map.entry("minute", "m"), Map.entry("minutes", "m"), Map.entry("h", "h"), Map.entry("hr", "h"),
            Map.entry("hour", "h"), Map.entry("hours", "h"), Map.entry("d", "d"), Map.entry("day", "d"), Map.entry("days", "d"));

    private final Map<String, Object> doc;
    private final String origin;
    private final OdcsImport.Options options;
    private final List<String> notes = new ArrayList<>();
    private final Map<String, Object> object;
    private final String objectField;
    private final List<Map<String, Object>> properties;

    ForeignDocument(Map<String, Object> doc, String origin, OdcsImport.Options options) {
        this.doc = doc;
        this.origin = origin;
        this.options = options;
        List<Map<String, Object>> objects = maps(doc.get("schema"));
        if (objects.isEmpty()) {
            throw refused("schema", "has no object; a product is one object (its topic or table) with its properties");
        }
        int chosen = 0;
        if (options.object().isPresent()) {
            chosen = indexOf(objects, options.object().get());
        } else if (objects.size() > 1) {
            notes.add("schema: " + objects.size() + " objects (" + String.join(", ", names(objects)) + "); imported "
                    + objects.get(0).get("name") + "; pass --object <name> to import another");
        }
        this.object = objects.get(chosen);
        this.objectField = "schema[" + chosen + "]";
        this.properties = maps(object.get("properties"));
        if (properties.isEmpty()) {
            String where = maps(object.get("authoritativeDefinitions")).stream().map(d -> d.get("url")).filter(u -> u != null)
                    .map(u -> " (the document points to " + u + " for them)").findFirst().orElse("");
            throw refused(objectField + ".properties", "none; the mesh needs the object's fields to write its Avro schema" + where);
        }
    }

    List<String> notes() {
        return notes;
    }

    String contract() {
        String domain = productPart("domain", options.domain().or(() -> text(doc, "domain")).orElseThrow(() ->
                refused("domain", "the document names no domain; pass --domain <domain>")));
        String name = productPart("name", options.name().or(() -> text(doc, "dataProduct")).or(() -> text(doc, "name"))
                .or(() -> text(object, "name")).orElseThrow());
        StringBuilder c = new StringBuilder();
        c.append("product: ").append(domain).append('.').append(name).append('\n')
                .append("version: ").append(version()).append('\n')
                .append("owner: {team: ").append(quoted(team(domain))).append(", contact: ").append(quoted(contact())).append("}\n")
                .append("description: ").append(quoted(description(name))).append('\n')
                .append("key: ").append(key()).append('\n')
                .append("schema: ").append(recordName()).append(".avsc\n");
        classification().ifPresent(cl -> c.append("classification: ").append(quoted(cl)).append('\n'));
        freshness().ifPresent(f -> c.append("slo: {freshness: ").append(f).append("}\n"));
        List<Map<String, Object>> cel = new ArrayList<>();
        for (Map<String, Object> q : maps(object.get("quality"))) {
            if ("cel".equals(q.get("engine"))) {
                cel.add(q);
            } else {
                notes.add(objectField + ".quality " + text(q, "name").or(() -> text(q, "metric")).orElse("?")
                        + ": not carried; the mesh checks records with CEL rules (type: custom, engine: cel)");
            }
        }
        if (!cel.isEmpty()) {
            c.append("quality:\n");
            cel.forEach(q -> c.append("  - {name: ").append(quoted(String.valueOf(q.get("name")))).append(", expr: ")
                    .append(quoted(String.valueOf(q.get("implementation")))).append("}\n"));
        }
        return c.toString();
    }

    /** An Avro record from the properties: the standard's logical types, decimal physical types, valid values as enums. */
    String avsc() {
        ObjectNode record = record(recordName(), properties, objectField);
        record.put("namespace", "dev.mesh.schemas." + text(doc, "domain").or(options::domain).orElse("imported")
                .toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "_"));
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(record) + "\n";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String recordName() {
        String name = text(object, "name").orElseThrow(() -> refused(objectField + ".name", "missing"));
        return avroName(name, objectField + ".name");
    }

    private ObjectNode record(String name, List<Map<String, Object>> props, String field) {
        ObjectNode record = JSON.createObjectNode().put("type", "record").put("name", name);
        ArrayNode fields = record.putArray("fields");
        for (int i = 0; i < props.size(); i++) {
            Map<String, Object> p = props.get(i);
            String where = field + ".properties[" + i + "]";
            String fieldName = avroName(text(p, "name").orElseThrow(() -> refused(where + ".name", "missing")), where + ".name");
            ObjectNode f = fields.addObject().put("name", fieldName);
            Object type = type(p, fieldName, where);
            if (isRequired(p, fieldName, field)) {
                f.set("type", JSON.valueToTree(type));
            } else {
                f.set("type", JSON.valueToTree(List.of("null", type)));
                f.putNull("default");
            }
            text(p, "description").ifPresent(d -> f.put("doc", d));
            if (p.get("tags") instanceof List<?> tags && !tags.isEmpty()) {
                f.set("confluent:tags", JSON.valueToTree(tags));
            }
        }
        return record;
    }

    /** The standard's default is not required; the key is always required, since a record's key is never null. */
    private boolean isRequired(Map<String, Object> p, String name, String field) {
        boolean required = Boolean.TRUE.equals(p.get("required"));
        if (!required && field.equals(objectField) && name.equals(key())) {
            if (!notes.contains(keyNote(name))) {
                notes.add(keyNote(name));
            }
            return true;
        }
        return required;
    }

    private static String keyNote(String name) {
        return "property " + name + ": made required, as the product's key";
    }

    private Object type(Map<String, Object> p, String name, String where) {
        if (where.split("\\.(properties\\[|items)", -1).length > MAX_DEPTH) {
            // also what stops a document whose YAML aliases make a property hold itself
            throw refused(where, "objects and arrays nest deeper than " + MAX_DEPTH + " levels");
        }
        Map<String, Object> options = map(p.get("logicalTypeOptions"));
        String physical = text(p, "physicalType").orElse("");
        String logical = text(p, "logicalType").orElse("string");
        return switch (logical) {
            case "integer" -> NARROW_INTEGERS.contains(String.valueOf(options.get("format"))) ? "int" : "long";
            case "number" -> decimal(physical, options).orElse("f32".equals(options.get("format")) ? "float" : "double");
            case "boolean" -> "boolean";
            case "date" -> Map.of("type", "int", "logicalType", "date");
            case "timestamp" -> Map.of("type", "long", "logicalType", "timestamp-millis");
            case "time" -> Map.of("type", "int", "logicalType", "time-millis");
            case "object" -> {
                List<Map<String, Object>> nested = maps(p.get("properties"));
                if (nested.isEmpty()) {
                    notes.add(where + " (" + name + "): an object without properties becomes a map of strings");
                    yield Map.of("type", "map", "values", "string");
                }
                yield record(capitalized(name), nested, where);
            }
            case "array" -> {
                Map<String, Object> items = map(p.get("items"));
                if (items.isEmpty()) {
                    notes.add(where + " (" + name + "): an array without items becomes an array of strings");
                    yield Map.of("type", "array", "items", "string");
                }
                yield Map.of("type", "array", "items", type(items, name + "Item", where + ".items"));
            }
            case "string" -> validValues(p).<Object>map(symbols -> Map.of("type", "enum", "name", capitalized(name), "symbols", symbols))
                    .orElse("uuid".equals(options.get("format")) ? Map.of("type", "string", "logicalType", "uuid") : "string");
            default -> throw refused(where + ".logicalType", "'" + logical + "' is not one of the standard's logical types");
        };
    }

    /** {@code decimal(12,2)} as the physical type, or {@code precision}/{@code scale} options (the mesh's exports before v3.1 validity). */
    private static Optional<Object> decimal(String physical, Map<String, Object> options) {
        Matcher m = DECIMAL.matcher(physical);
        if (m.find()) {
            return Optional.of(Map.of("type", "bytes", "logicalType", "decimal", "precision", Integer.parseInt(m.group(1)),
                    "scale", m.group(2) == null ? 0 : Integer.parseInt(m.group(2))));
        }
        if (options.get("precision") instanceof Number precision) {
            return Optional.of(Map.of("type", "bytes", "logicalType", "decimal", "precision", precision,
                    "scale", options.get("scale") instanceof Number s ? s : 0));
        }
        return Optional.empty();
    }

    /** The standard's invalidValues check with validValues, when every value can be an Avro enum symbol. */
    private static Optional<List<String>> validValues(Map<String, Object> p) {
        for (Map<String, Object> q : maps(p.get("quality"))) {
            if ("invalidValues".equals(q.get("metric")) && map(q.get("arguments")).get("validValues") instanceof List<?> values
                    && !values.isEmpty() && values.stream().allMatch(v -> v instanceof String s && AVRO_NAME.matcher(s).matches())) {
                return Optional.of(values.stream().map(String::valueOf).toList());
            }
        }
        return Optional.empty();
    }

    private String key() {
        String key = options.key().orElseGet(() -> properties.stream().filter(p -> Boolean.TRUE.equals(p.get("primaryKey")))
                .min(Comparator.comparingInt(p -> p.get("primaryKeyPosition") instanceof Number n ? n.intValue() : Integer.MAX_VALUE))
                .flatMap(p -> text(p, "name")).orElseThrow(() -> refused(objectField + ".properties",
                        "no property is the primaryKey, and a product's records are keyed; pass --key <property> (one of "
                                + String.join(", ", names(properties)) + ")")));
        Map<String, Object> property = properties.stream().filter(p -> key.equals(p.get("name"))).findFirst()
                .orElseThrow(() -> refused("--key", "'" + key + "' is not a property of " + object.get("name")
                        + "; its properties are " + String.join(", ", names(properties))));
        String logical = text(property, "logicalType").orElse("string");
        if (!logical.equals("string")) {
            throw refused(objectField + ".properties." + key, "the key is " + logical + "; a product's key is a string"
                    + " (pass --key with a string property)");
        }
        return key;
    }

    private String version() {
        String text = text(doc, "version").orElse("1.0.0");
        SemVer version = SemVer.parse(text).orElseThrow(() -> refused("version", "'" + text + "' is not MAJOR.MINOR.PATCH"));
        if (version.major() == 0) {
            notes.add("version: " + text + " became 1.0.0; a product's major is its topic version and starts at 1");
            return "1.0.0";
        }
        return version.toString();
    }

    private String team(String domain) {
        return text(map(doc.get("team")), "name").orElse(domain);
    }

    /** The member whose role is owner, else the first member, else the first support channel. */
    private String contact() {
        List<Map<String, Object>> members = maps(map(doc.get("team")).get("members"));
        Optional<String> member = members.stream().filter(m -> "owner".equalsIgnoreCase(String.valueOf(m.get("role"))))
                .findFirst().or(() -> members.stream().findFirst()).flatMap(m -> text(m, "username"));
        return member.or(() -> maps(doc.get("support")).stream().findFirst().flatMap(s -> text(s, "url").or(() -> text(s, "channel"))))
                .orElseGet(() -> {
                    notes.add("team: the document names no owner; owner.contact is 'unknown', set it in contract.yaml");
                    return "unknown";
                });
    }

    private String description(String name) {
        Object description = doc.get("description");
        Optional<String> purpose = description instanceof Map<?, ?> d ? Optional.ofNullable(d.get("purpose")).map(String::valueOf)
                : Optional.ofNullable(description).map(String::valueOf);
        return purpose.or(() -> text(object, "description")).orElse(name);
    }

    private Optional<String> classification() {
        Optional<String> custom = maps(object.get("customProperties")).stream()
                .filter(p -> Odcs.CLASSIFICATION.equals(p.get("property"))).findFirst().flatMap(p -> text(p, "value"));
        return custom.or(() -> text(object, "classification")).map(s -> s.toLowerCase(Locale.ROOT));
    }

    private Optional<String> freshness() {
        for (Map<String, Object> sla : maps(doc.get("slaProperties"))) {
            if ("latency".equals(sla.get("property")) && sla.get("value") instanceof Number value) {
                String unit = UNITS.get(String.valueOf(sla.getOrDefault("unit", "s")).toLowerCase(Locale.ROOT));
                if (unit == null) {
                    notes.add("slaProperties latency: unit '" + sla.get("unit") + "' is not carried (seconds to days are)");
                    return Optional.empty();
                }
                return Optional.of(value.longValue() + unit);
            }
        }
        return Optional.empty();
    }

    /** A product id part from a free name: lower case, words joined by '-', noted when it changed. */
    private String productPart(String what, String raw) {
        String part = raw.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-+|-+$", "");
        if (!part.isEmpty() && !Character.isLetter(part.charAt(0))) {
            part = "p-" + part;
        }
        if (part.isEmpty()) {
            throw refused(what, "'" + raw + "' has no letters or digits; pass --" + what);
        }
        if (!part.equals(raw)) {
            notes.add(what + ": '" + raw + "' became '" + part + "' (lower-case letters and digits, words joined by '-')");
        }
        return part;
    }

    private String avroName(String name, String field) {
        if (!AVRO_NAME.matcher(name).matches()) {
            throw refused(field, "'" + name + "' is not an Avro name (a letter or '_', then letters, digits or '_')");
        }
        return name;
    }

    private int indexOf(List<Map<String, Object>> objects, String name) {
        for (int i = 0; i < objects.size(); i++) {
            if (name.equals(objects.get(i).get("name"))) {
                return i;
            }
        }
        throw refused("--object", "'" + name + "' is not an object of the document; its objects are " + String.join(", ", names(objects)));
    }

    private IllegalArgumentException refused(String field, String why) {
        return new IllegalArgumentException(origin + ": " + field + ": " + why);
    }

    private static List<String> names(List<Map<String, Object>> items) {
        return items.stream().map(m -> String.valueOf(m.get("name"))).toList();
    }

    private static Optional<String> text(Map<String, Object> node, String key) {
        Object value = node.get(key);
        return value == null || String.valueOf(value).isBlank() ? Optional.empty() : Optional.of(String.valueOf(value));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        return value instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> maps(Object value) {
        return value instanceof List<?> list ? list.stream().filter(Map.class::isInstance).map(m -> (Map<String, Object>) m).toList() : List.of();
    }

    private static String capitalized(String name) {
        return name.isEmpty() ? name : Character.toUpperCase(name.charAt(0)) + name.substring(1);
    }

    static String quoted(String text) {
        return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
