package dev.mesh.sdk.internal.openlineage;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.openlineage.client.OpenLineage;

import java.net.URI;
import java.util.List;
import java.util.Map;

/**
 * OpenLineage's data quality assertions facet on a dataset the job writes: the client offers it for inputs only, but a
 * publisher checks every record it writes against the contract's rules, so the results belong to its output. The
 * same JSON and {@code _schemaURL} as the input facet.
 */
@JsonPropertyOrder({"_producer", "_schemaURL", "assertions"})
final class OutputAssertions implements OpenLineage.OutputDatasetFacet {
    private final OpenLineage.DataQualityAssertionsDatasetFacet facet;

    OutputAssertions(OpenLineage ol, List<OpenLineage.DataQualityAssertionsDatasetFacetAssertions> assertions) {
        this.facet = ol.newDataQualityAssertionsDatasetFacet(assertions);
    }

    @Override
    @JsonProperty("_producer")
    public URI get_producer() {
        return facet.get_producer();
    }

    @Override
    @JsonProperty("_schemaURL")
    public URI get_schemaURL() {
        return facet.get_schemaURL();
    }

    @JsonProperty("assertions")
    public List<OpenLineage.DataQualityAssertionsDatasetFacetAssertions> getAssertions() {
        return facet.getAssertions();
    }

    @Override
    @JsonIgnore
    public Map<String, Object> getAdditionalProperties() {
        return Map.of();
    }
}
