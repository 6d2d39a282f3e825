package dev.mesh.sdk.internal.serde;

import org.apache.avro.Conversions;
import org.apache.avro.data.TimeConversions;
import org.apache.avro.generic.GenericData;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;

/** The Avro data models the mesh reads and writes with: logical types come out as BigDecimal, Instant, LocalDate. */
public final class AvroModels {
    private static final GenericData GENERIC = withConversions(new GenericData());

    private AvroModels() {
    }

    public static GenericData generic() {
        return GENERIC;
    }

    /** The model generated classes were compiled against, so their logical types convert as they expect. */
    public static GenericData forClass(Class<?> type) {
        return SpecificRecord.class.isAssignableFrom(type) ? SpecificData.getForClass(type) : GENERIC;
    }

    private static GenericData withConversions(GenericData data) {
        data.addLogicalTypeConversion(new Conversions.DecimalConversion());
        data.addLogicalTypeConversion(new Conversions.UUIDConversion());
        data.addLogicalTypeConversion(new TimeConversions.DateConversion());
        data.addLogicalTypeConversion(new TimeConversions.TimestampMillisConversion());
        data.addLogicalTypeConversion(new TimeConversions.TimestampMicrosConversion());
        data.addLogicalTypeConversion(new TimeConversions.TimeMillisConversion());
        return data;
    }
}
