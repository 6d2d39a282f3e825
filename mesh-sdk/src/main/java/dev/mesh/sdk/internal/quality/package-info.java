/**
 * Quality rules: CEL expressions over a product's record, compiled once against its Avro schema
 * ({@link dev.mesh.sdk.internal.quality.CompiledRules#compile}) and evaluated on every record before it is published.
 *
 * <p>The record is the variable {@code message}. Its CEL type is built from the schema, so a misspelt field or a
 * string compared with a number is a compile error. How Avro types appear in CEL:
 * <ul>
 *   <li>record: a struct named by the record's full name; fields are selected with {@code .}</li>
 *   <li>string, enum (the symbol), uuid: {@code string}</li>
 *   <li>int, long, date (days since epoch), time-millis/-micros: {@code int}</li>
 *   <li>float, double, decimal (bytes or fixed): {@code double}; numbers of different kinds compare directly,
 *       so {@code message.totalAmount > 0} works on a decimal</li>
 *   <li>timestamp-millis/-micros/-nanos and their local forms: {@code google.protobuf.Timestamp}</li>
 *   <li>boolean: {@code bool}; bytes, fixed: {@code bytes}</li>
 *   <li>array: {@code list(T)}; map: {@code map(string, T)}</li>
 *   <li>union of null and one type: that type, which may be compared with {@code null}; a nullable list or map,
 *       and a union of several non-null types, are {@code dyn} (checked only when evaluated)</li>
 * </ul>
 * A null field holds CEL's {@code null}: {@code has(message.f)} is true for every field of the schema, so test
 * optional fields with {@code message.f != null}. Using a null field as a value (e.g. {@code message.f.size()})
 * is an evaluation error, and an evaluation error fails the rule, like a false result.
 */
package dev.mesh.sdk.internal.quality;
