package dev.mesh.sdk.odcs;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mesh.sdk.contract.ContractException;
import dev.mesh.sdk.contract.ProductContract;
import dev.mesh.sdk.contract.ProductId;
import dev.mesh.sdk.contract.loader.ContractLoader;
import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A product folder ({@code products/<domain>/<name>/v<major>}: contract and .avsc) from an ODCS v3 document: exactly
 * the product it was exported from when it carries the mesh's contract and Avro schema ({@link Odcs}), else made
 * from the standard's fields (fundamentals, team, schema properties, CEL quality rules, latency SLA). The result is
 * loaded through the contract loader before it is kept, so a document that makes no valid product leaves nothing.
 */
public final class OdcsImport {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern SCHEMA_KEY = Pattern.compile("(?m)^schema\\s*:\\s*(\\S+)");

    private OdcsImport() {
    }

    /** Writes the product folder under {@code products} and returns its loaded contract. */
    public static ProductContract into(Path products, String odcsYaml, String origin) {
        Object loaded;
        try {
            loaded = new Yaml().load(odcsYaml);
        } catch (org.yaml.snakeyaml.error.YAMLException e) {
            throw new IllegalArgumentException(origin + ": not valid YAML: " + e.getMessage(), e);
        }
        if (!(loaded instanceof Map<?, ?> map)) {
            throw new IllegalArgumentException(origin + ": not an ODCS v3 document (kind: DataContract, apiVersion: v3.x)");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> doc = (Map<String, Object>) map;
        if (!"DataContract".equals(doc.get("kind")) || !String.valueOf(doc.get("apiVersion")).startsWith("v3")) {
            throw new IllegalArgumentException(origin + ": not an ODCS v3 document (kind: DataContract, apiVersion: v3.x)");
        }
        Map<String, Object> object = firstSchema(doc, origin);
        String contract = custom(doc, Odcs.MESH_CONTRACT).orElseGet(() -> contractFrom(doc, object, origin));
        String avsc = custom(object, Odcs.AVRO_SCHEMA).orElseGet(() -> avscFrom(object, doc));
        Matcher schemaFile = SCHEMA_KEY.matcher(contract);
        if (!schemaFile.find()) {
            throw new IllegalArgumentException(origin + ": the contract names no schema file");
        }
        ProductContract parsed = ContractLoader.parse(origin, contract, name -> name.equals(schemaFile.group(1)) ? Optional.of(avsc) : Optional.empty());
        Path dir = products.resolve(parsed.product().domain()).resolve(parsed.product().name()).resolve("v" + parsed.major());
        if (Files.exists(dir.resolve("contract.yaml"))) {
            throw new IllegalArgumentException(origin + ": " + dir + " exists already; " + parsed.product() + " v" + parsed.major() + " is in the mesh");
        }
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("contract.yaml"), contract);
            Files.writeString(dir.resolve(schemaFile.group(1)), avsc);
            return ContractLoader.load(dir.resolve("contract.yaml"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + dir + ": " + e.getMessage(), e);
        } catch (ContractException e) {
            deleteQuietly(dir);
            throw e;
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> firstSchema(Map<String, Object> doc, String origin) {
        Object schema = doc.get("schema");
        if (!(schema instanceof List<?> list) || list.isEmpty() || !(list.get(0) instanceof Map)) {
            throw new IllegalArgumentException(origin + ": 'schema' has no object; a product is one object (its topic)");
        }
        return (Map<String, Object>) list.get(0);
    }

    @SuppressWarnings("unchecked")
    private static Optional<String> custom(Map<String, Object> node, String property) {
        if (!(node.get("customProperties") instanceof List<?> list)) {
            return Optional.empty();
        }
        return list.stream().filter(Map.class::isInstance).map(m -> (Map<String, Object>) m)
                .filter(m -> property.equals(m.get("property"))).map(m -> String.valueOf(m.get("value"))).findFirst();
    }

    /** A contract from the standard's fields, for a document that was not exported by the mesh. */
    @SuppressWarnings("unchecked")
    private static String contractFrom(Map<String, Object> doc, Map<String, Object> object, String origin) {
        String domain = String.valueOf(doc.getOrDefault("domain", ""));
        String name = String.valueOf(doc.getOrDefault("dataProduct", object.get("name"))).toLowerCase().replace('_', '-');
        ProductId id = new ProductId(domain, name);
        Map<String, Object> team = doc.get("team") instanceof Map<?, ?> t ? (Map<String, Object>) t : Map.of();
        String contact = team.get("members") instanceof List<?> members && !members.isEmpty() && members.get(0) instanceof Map<?, ?> m
                ? String.valueOf(m.get("username")) : "unknown@example.com";
        Object description = doc.get("description") instanceof Map<?, ?> d ? d.get("purpose") : object.get("description");
        List<Map<String, Object>> props = (List<Map<String, Object>>) object.getOrDefault("properties", List.of());
        String key = props.stream().filter(p -> Boolean.TRUE.equals(p.get("primaryKey"))).map(p -> String.valueOf(p.get("name")))
                .findFirst().orElseThrow(() -> new IllegalArgumentException(origin + ": no property is the primaryKey; a product needs a key"));
        StringBuilder c = new StringBuilder();
        c.append("product: ").append(id).append('\n')
                .append("version: ").append(doc.getOrDefault("version", "1.0.0")).append('\n')
                .append("owner: {team: ").append(team.getOrDefault("name", domain)).append(", contact: ").append(contact).append("}\n")
                .append("description: ").append(quoted(String.valueOf(description == null ? id : description))).append('\n')
                .append("key: ").append(key).append('\n')
                .append("schema: ").append(object.get("name")).append(".avsc\n");
        if (object.get("classification") != null) {
            c.append("classification: ").append(object.get("classification")).append('\n');
        }
        if (doc.get("slaProperties") instanceof List<?> sla) {
            sla.stream().filter(Map.class::isInstance).map(s -> (Map<String, Object>) s)
                    .filter(s -> "latency".equals(s.get("property")))
                    .findFirst().ifPresent(s -> c.append("slo: {freshness: ").append(s.get("value")).append(s.getOrDefault("unit", "s")).append("}\n"));
        }
        if (object.get("quality") instanceof List<?> quality && !quality.isEmpty()) {
            c.append("quality:\n");
            quality.stream().filter(Map.class::isInstance).map(q -> (Map<String, Object>) q)
                    .filter(q -> "cel".equals(q.get("engine")))
                    .forEach(q -> c.append("  - {name: ").append(q.get("name")).append(", expr: ")
                            .append(quoted(String.valueOf(q.get("implementation")))).append("}\n"));
        }
        return c.toString();
    }

    /** An Avro record from the ODCS properties: string, integer (long), number (double, or decimal with options), boolean, date, timestamp, object, array. */
    @SuppressWarnings("unchecked")
    private static String avscFrom(Map<String, Object> object, Map<String, Object> doc) {
        ObjectNode record = record(String.valueOf(object.get("name")), (List<Map<String, Object>>) object.getOrDefault("properties", List.of()));
        record.put("namespace", "dev.mesh.schemas." + doc.getOrDefault("domain", "imported"));
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(record) + "\n";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ObjectNode record(String name, List<Map<String, Object>> properties) {
        ObjectNode record = JSON.createObjectNode().put("type", "record").put("name", name);
        ArrayNode fields = record.putArray("fields");
        for (Map<String, Object> p : properties) {
            ObjectNode field = fields.addObject().put("name", String.valueOf(p.get("name")));
            Object type = type(p);
            boolean required = !Boolean.FALSE.equals(p.get("required"));
            if (required) {
                field.set("type", JSON.valueToTree(type));
            } else {
                field.set("type", JSON.valueToTree(List.of("null", type)));
                field.putNull("default");
            }
            if (p.get("description") != null) {
                field.put("doc", String.valueOf(p.get("description")));
            }
            if (p.get("tags") instanceof List<?> tags && !tags.isEmpty()) {
                field.set("confluent:tags", JSON.valueToTree(tags));
            }
        }
        return record;
    }

    @SuppressWarnings("unchecked")
    private static Object type(Map<String, Object> p) {
        Map<String, Object> options = p.get("logicalTypeOptions") instanceof Map<?, ?> o ? (Map<String, Object>) o : Map.of();
        return switch (String.valueOf(p.getOrDefault("logicalType", "string"))) {
            case "integer" -> "long";
            case "number" -> options.containsKey("precision")
                    ? Map.of("type", "bytes", "logicalType", "decimal", "precision", options.get("precision"), "scale", options.getOrDefault("scale", 0))
                    : "double";
            case "boolean" -> "boolean";
            case "date" -> Map.of("type", "int", "logicalType", "date");
            case "timestamp" -> Map.of("type", "long", "logicalType", "timestamp-millis");
            case "object" -> record(capitalized(String.valueOf(p.get("name"))),
                    (List<Map<String, Object>>) p.getOrDefault("properties", List.of()));
            case "array" -> Map.of("type", "array", "items", p.get("items") instanceof Map<?, ?> items ? type((Map<String, Object>) items) : "string");
            default -> options.get("enum") instanceof List<?> symbols
                    ? Map.of("type", "enum", "name", capitalized(String.valueOf(p.get("name"))), "symbols", symbols) : "string";
        };
    }

    private static String capitalized(String name) {
        return name.isEmpty() ? name : Character.toUpperCase(name.charAt(0)) + name.substring(1);
    }

    private static String quoted(String text) {
        return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    private static void deleteQuietly(Path dir) {
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException e) {
            // nothing more to do: the folder was ours and is best left empty
        }
    }
}
