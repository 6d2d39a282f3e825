package dev.mesh.sdk.internal.openlineage;

import dev.mesh.sdk.contract.ProductContract;
import io.openlineage.client.OpenLineage;
import org.apache.avro.LogicalType;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;

import java.net.URI;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

/**
 * Products as OpenLineage datasets, named by OpenLineage's Kafka convention (namespace {@code kafka://host:port} of
 * the first bootstrap server, name the topic), with what the contract says of them: schema (field docs, nested
 * records), ownership, description, the registered schema id as dataset version, and tags (the contract's, its
 * classification, and {@code PII} per field).
 */
final class ProductDatasets {
    private static final int MAX_DEPTH = 8;
    private final OpenLineage ol;
    private final String namespace;

    ProductDatasets(OpenLineage ol, Object bootstrapServers) {
        this.ol = ol;
        this.namespace = namespace(bootstrapServers);
    }

    /** {@code kafka://host:port} of the first bootstrap server, without a listener's protocol prefix. */
    static String namespace(Object bootstrapServers) {
        String first = String.valueOf(bootstrapServers).split(",")[0].trim();
        int scheme = first.indexOf("://");
        return "kafka://" + (scheme < 0 ? first : first.substring(scheme + 3));
    }

    String namespace() {
        return namespace;
    }

    OpenLineage.InputDataset input(ProductContract c) {
        return ol.newInputDatasetBuilder().namespace(namespace).name(c.topicName()).facets(facets(c, null)).build();
    }

    OpenLineage.OutputDataset output(ProductContract c, Integer schemaId, List<OpenLineage.DataQualityAssertionsDatasetFacetAssertions> assertions) {
        OpenLineage.OutputDatasetOutputFacetsBuilder outputFacets = ol.newOutputDatasetOutputFacetsBuilder();
        if (!assertions.isEmpty()) {
            outputFacets.put("dataQualityAssertions", new OutputAssertions(ol, assertions));
        }
        return ol.newOutputDatasetBuilder().namespace(namespace).name(c.topicName()).facets(facets(c, schemaId))
                .outputFacets(outputFacets.build()).build();
    }

    private OpenLineage.DatasetFacets facets(ProductContract c, Integer schemaId) {
        OpenLineage.DatasetFacetsBuilder facets = ol.newDatasetFacetsBuilder()
                .schema(ol.newSchemaDatasetFacet(fields(c.schema().getFields(), 0)))
                .ownership(ol.newOwnershipDatasetFacet(List.of(ol.newOwnershipDatasetFacetOwners("team:" + c.owner().team(), "team"))))
                .documentation(ol.newDocumentationDatasetFacet(c.description(), "text/plain"))
                .dataSource(ol.newDatasourceDatasetFacet("kafka", URI.create(namespace)))
                .tags(ol.newTagsDatasetFacet(tags(c)));
        if (schemaId != null) {
            facets.version(ol.newDatasetVersionDatasetFacet(Integer.toString(schemaId)));
        }
        return facets.build();
    }

    private List<OpenLineage.TagsDatasetFacetFields> tags(ProductContract c) {
        List<OpenLineage.TagsDatasetFacetFields> tags = new ArrayList<>();
        tags.add(ol.newTagsDatasetFacetFields("classification", c.classification().name().toLowerCase(Locale.ROOT), "CONTRACT", null));
        c.tags().forEach(t -> tags.add(ol.newTagsDatasetFacetFields(t, "true", "CONTRACT", null)));
        piiFields(c.schema(), "", tags);
        return tags;
    }

    private void piiFields(Schema schema, String prefix, List<OpenLineage.TagsDatasetFacetFields> into) {
        Schema record = record(schema);
        if (record == null || prefix.chars().filter(ch -> ch == '.').count() >= MAX_DEPTH) {
            return;
        }
        for (Schema.Field f : record.getFields()) {
            String path = prefix + f.name();
            if (f.getObjectProp("confluent:tags") instanceof Collection<?> t && t.contains("PII")) {
                into.add(ol.newTagsDatasetFacetFields("PII", "true", "CONTRACT", path));
            }
            piiFields(f.schema(), path + ".", into);
        }
    }

    /** Nested records down to {@value #MAX_DEPTH} levels: a recursive schema must not recurse here. */
    private List<OpenLineage.SchemaDatasetFacetFields> fields(List<Schema.Field> fields, int depth) {
        List<OpenLineage.SchemaDatasetFacetFields> out = new ArrayList<>();
        for (Schema.Field f : fields) {
            Schema nested = depth < MAX_DEPTH ? record(f.schema()) : null;
            out.add(ol.newSchemaDatasetFacetFields(f.name(), type(f.schema()), f.doc(), null,
                    nested == null ? null : fields(nested.getFields(), depth + 1)));
        }
        return out;
    }

    /** The record a field holds, directly, in a union with null, or as the items of an array or values of a map. */
    private static Schema record(Schema s) {
        return switch (s.getType()) {
            case RECORD -> s;
            case ARRAY -> record(s.getElementType());
            case MAP -> record(s.getValueType());
            case UNION -> s.getTypes().stream().map(ProductDatasets::record).filter(java.util.Objects::nonNull).findFirst().orElse(null);
            default -> null;
        };
    }

    /** Avro's type as people read it: {@code decimal(12,2)}, {@code timestamp-millis}, {@code array<record>}, {@code string?}. */
    static String type(Schema s) {
        LogicalType logical = s.getLogicalType();
        if (logical instanceof LogicalTypes.Decimal d) {
            return "decimal(" + d.getPrecision() + "," + d.getScale() + ")";
        }
        if (logical != null) {
            return logical.getName();
        }
        return switch (s.getType()) {
            case ARRAY -> "array<" + type(s.getElementType()) + ">";
            case MAP -> "map<" + type(s.getValueType()) + ">";
            case UNION -> {
                List<Schema> types = s.getTypes().stream().filter(t -> t.getType() != Schema.Type.NULL).toList();
                String inner = types.size() == 1 ? type(types.get(0)) : "union";
                yield types.size() < s.getTypes().size() ? inner + "?" : inner;
            }
            case ENUM -> "enum";
            default -> s.getType().getName();
        };
    }
}
