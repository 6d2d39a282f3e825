package dev.mesh.sdk.internal.quality;

import com.google.common.collect.ImmutableCollection;
import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableSet;
import dev.cel.common.types.CelType;
import dev.cel.common.types.CelTypeProvider;
import dev.cel.common.types.ListType;
import dev.cel.common.types.MapType;
import dev.cel.common.types.NullableType;
import dev.cel.common.types.SimpleType;
import dev.cel.common.types.StructType;
import org.apache.avro.LogicalType;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The CEL types of an Avro schema, so that a rule is type-checked against the schema when it is compiled: every
 * Avro record becomes a CEL struct type named by the record's full name, and a misspelt field or a comparison of
 * a string with a number fails before any record is seen.
 */
final class AvroCelTypes implements CelTypeProvider {
    private final Map<String, StructType> structs = new LinkedHashMap<>();

    AvroCelTypes(Schema root) {
        collectRecords(root);
    }

    StructType struct(Schema record) {
        return structs.get(record.getFullName());
    }

    @Override
    public ImmutableCollection<CelType> types() {
        return ImmutableList.copyOf(structs.values());
    }

    @Override
    public Optional<CelType> findType(String typeName) {
        return Optional.ofNullable(structs.get(typeName));
    }

    private void collectRecords(Schema schema) {
        switch (schema.getType()) {
            case RECORD -> {
                if (structs.containsKey(schema.getFullName())) {
                    return;
                }
                List<Schema.Field> fields = schema.getFields();
                ImmutableSet<String> names = fields.stream().map(Schema.Field::name).collect(ImmutableSet.toImmutableSet());
                // Resolved lazily by the checker: a record may refer to itself, or to one collected later.
                structs.put(schema.getFullName(), StructType.create(schema.getFullName(), names,
                        name -> Optional.ofNullable(schema.getField(name)).map(f -> typeOf(f.schema()))));
                fields.forEach(f -> collectRecords(f.schema()));
            }
            case ARRAY -> collectRecords(schema.getElementType());
            case MAP -> collectRecords(schema.getValueType());
            case UNION -> schema.getTypes().forEach(this::collectRecords);
            default -> {
            }
        }
    }

    CelType typeOf(Schema schema) {
        LogicalType logical = schema.getLogicalType();
        if (logical instanceof LogicalTypes.Decimal) {
            return SimpleType.DOUBLE;
        }
        if (AvroToCel.isTimestamp(logical)) {
            return SimpleType.TIMESTAMP;
        }
        return switch (schema.getType()) {
            case RECORD -> struct(schema);
            case ENUM, STRING -> SimpleType.STRING;
            case ARRAY -> ListType.create(typeOf(schema.getElementType()));
            case MAP -> MapType.create(SimpleType.STRING, typeOf(schema.getValueType()));
            case UNION -> unionType(schema);
            case FIXED, BYTES -> SimpleType.BYTES;
            case INT, LONG -> SimpleType.INT;
            case FLOAT, DOUBLE -> SimpleType.DOUBLE;
            case BOOLEAN -> SimpleType.BOOL;
            case NULL -> SimpleType.NULL_TYPE;
        };
    }

    private CelType unionType(Schema union) {
        List<Schema> branches = union.getTypes().stream().filter(s -> s.getType() != Schema.Type.NULL).toList();
        boolean nullable = branches.size() < union.getTypes().size();
        if (branches.isEmpty()) {
            return SimpleType.NULL_TYPE;
        }
        if (branches.size() > 1) {
            return SimpleType.DYN;
        }
        CelType type = typeOf(branches.get(0));
        return nullable ? orNull(type) : type;
    }

    /**
     * CEL can compare structs and timestamps with null, and has nullable (wrapper) types only for the primitives;
     * a nullable list or map can only be declared dyn, which loses checking inside it but keeps `x == null`.
     */
    private static CelType orNull(CelType type) {
        if (type instanceof StructType || type == SimpleType.TIMESTAMP) {
            return type;
        }
        if (type == SimpleType.BOOL || type == SimpleType.BYTES || type == SimpleType.DOUBLE
                || type == SimpleType.INT || type == SimpleType.STRING) {
            return NullableType.create(type);
        }
        return SimpleType.DYN;
    }
}
