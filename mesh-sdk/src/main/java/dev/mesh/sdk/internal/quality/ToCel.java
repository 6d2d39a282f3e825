package dev.mesh.sdk.internal.quality;

/** Turns a value as Avro holds it into the value CEL's runtime expects for the field's declared CEL type. */
@FunctionalInterface
interface ToCel {
    Object convert(Object avroValue);
}
