package dev.mesh.sdk.odcs;

import dev.mesh.sdk.contract.ContractException;
import dev.mesh.sdk.contract.ProductContract;
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
 * from the standard's fields ({@link ForeignDocument}). The result is loaded through the contract loader before it is
 * kept, so a document that makes no valid product leaves nothing.
 */
public final class OdcsImport {
    private static final Pattern SCHEMA_KEY = Pattern.compile("(?m)^schema\\s*:\\s*(\\S+)");

    private OdcsImport() {
    }

    /** What a document lacks, given on the command line: the product's domain and name, its key, which schema object. */
    public record Options(Optional<String> domain, Optional<String> name, Optional<String> key, Optional<String> object) {
        public static final Options NONE = new Options(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
    }

    /** The product made, and what had to change to make it one. */
    public record Imported(ProductContract contract, List<String> notes) {
    }

    /** Writes the product folder under {@code products} and returns its loaded contract. */
    public static ProductContract into(Path products, String odcsYaml, String origin) {
        return into(products, odcsYaml, origin, Options.NONE).contract();
    }

    /** Writes the product folder under {@code products}; options fill what a foreign document lacks. */
    public static Imported into(Path products, String odcsYaml, String origin, Options options) {
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
        Optional<String> meshContract = custom(doc, Odcs.MESH_CONTRACT);
        String contract;
        String avsc;
        List<String> notes;
        if (meshContract.isPresent()) {
            contract = meshContract.get();
            avsc = custom(firstSchema(doc, origin), Odcs.AVRO_SCHEMA)
                    .orElseThrow(() -> new IllegalArgumentException(origin + ": schema[0].customProperties: no " + Odcs.AVRO_SCHEMA
                            + " beside the mesh's contract"));
            notes = List.of();
        } else {
            ForeignDocument foreign = new ForeignDocument(doc, origin, options);
            contract = foreign.contract();
            avsc = foreign.avsc();
            notes = foreign.notes();
        }
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
            return new Imported(ContractLoader.load(dir.resolve("contract.yaml")), notes);
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

    private static void deleteQuietly(Path dir) {
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException e) {
            // nothing more to do: the folder was ours and is best left empty
        }
    }
}
