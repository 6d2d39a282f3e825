package dev.mesh.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * OpenLineage's own JSON Schemas (the versions the Java client 1.55.0 writes, see {@code openlineage/README.txt}),
 * offline: an event is checked against the core RunEvent schema and every facet against the schema its
 * {@code _schemaURL} names. A facet version not kept here fails instead of being fetched.
 */
public final class OpenLineageSchemas {
    private static final Map<String, String> IDS = Map.ofEntries(
            id("2-0-2/OpenLineage.json"), id("facets/1-2-0/SchemaDatasetFacet.json"), id("facets/1-0-1/OwnershipDatasetFacet.json"),
            id("facets/1-0-1/DatasetVersionDatasetFacet.json"), id("facets/1-0-0/TagsDatasetFacet.json"),
            id("facets/1-1-0/DataQualityAssertionsDatasetFacet.json"), id("facets/2-0-4/JobTypeJobFacet.json"),
            id("facets/1-0-1/ErrorMessageRunFacet.json"), id("facets/1-1-0/DocumentationDatasetFacet.json"),
            id("facets/1-0-1/DatasourceDatasetFacet.json"), id("facets/1-0-1/OwnershipJobFacet.json"));
    private static final SchemaRegistry REGISTRY = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12,
            b -> b.schemaIdResolvers(r -> r.mappings(IDS))
                    .schemaRegistryConfig(SchemaRegistryConfig.builder().formatAssertionsEnabled(true).build()));

    private OpenLineageSchemas() {
    }

    private static Map.Entry<String, String> id(String path) {
        return Map.entry("https://openlineage.io/spec/" + path, "classpath:openlineage/" + path.substring(path.lastIndexOf('/') + 1));
    }

    /** Every way the event breaks the specification, each with where; empty when it keeps it. */
    public static List<String> problems(JsonNode event) {
        List<String> out = new ArrayList<>();
        validate(event.path("schemaURL").asText(), event, "$", out);
        facets(event.path("run").path("facets"), "$.run.facets", out);
        facets(event.path("job").path("facets"), "$.job.facets", out);
        for (String side : List.of("inputs", "outputs")) {
            int i = 0;
            for (JsonNode dataset : event.path(side)) {
                for (String facets : List.of("facets", "inputFacets", "outputFacets")) {
                    facets(dataset.path(facets), "$." + side + "[" + i + "]." + facets, out);
                }
                i++;
            }
        }
        return out;
    }

    private static void facets(JsonNode facets, String where, List<String> out) {
        facets.properties().forEach(e -> validate(e.getValue().path("_schemaURL").asText(), e.getValue(), where + "." + e.getKey(), out));
    }

    private static void validate(String schemaUrl, JsonNode node, String where, List<String> out) {
        Schema schema;
        try {
            schema = REGISTRY.getSchema(SchemaLocation.of(schemaUrl));
        } catch (RuntimeException e) {
            out.add(where + ": no schema kept here for " + schemaUrl + " (" + e.getMessage() + ")");
            return;
        }
        schema.validate(node).forEach(e -> out.add(where + ": " + e));
    }
}
