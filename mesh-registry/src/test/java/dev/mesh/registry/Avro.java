package dev.mesh.registry;

import java.util.Arrays;
import java.util.stream.Collectors;

/** Small builders for Avro schema text in tests. */
final class Avro {
    private Avro() {
    }

    /** A record; {@code name} may be a full name. */
    static String record(String name, String... fields) {
        return "{\"type\":\"record\",\"name\":\"" + name + "\",\"fields\":["
                + Arrays.stream(fields).collect(Collectors.joining(",")) + "]}";
    }

    static String field(String name, String typeJson) {
        return "{\"name\":\"" + name + "\",\"type\":" + typeJson + "}";
    }

    static String field(String name, String typeJson, String defaultJson) {
        return "{\"name\":\"" + name + "\",\"type\":" + typeJson + ",\"default\":" + defaultJson + "}";
    }

    static String q(String s) {
        return "\"" + s + "\"";
    }

    static String enumOf(String name, String... symbols) {
        return "{\"type\":\"enum\",\"name\":\"" + name + "\",\"symbols\":["
                + Arrays.stream(symbols).map(Avro::q).collect(Collectors.joining(",")) + "]}";
    }

    static String arrayOf(String itemsJson) {
        return "{\"type\":\"array\",\"items\":" + itemsJson + "}";
    }

    /** Order v1: orderId string, amount double. */
    static final String ORDER_V1 = record("shop.Order", field("orderId", q("string")), field("amount", q("double")));

    /** ORDER_V1 written differently: whitespace, attribute order, namespace split out. Same canonical schema. */
    static final String ORDER_V1_REFORMATTED = """
            {
              "namespace" : "shop",
              "fields" : [ { "type" : "string", "name" : "orderId" },
                           { "type" : "double", "name" : "amount" } ],
              "name" : "Order",
              "type" : "record"
            }""";

    /** ORDER_V1 plus an optional field: BACKWARD and FORWARD compatible. */
    static final String ORDER_V2 = record("shop.Order", field("orderId", q("string")), field("amount", q("double")),
            field("note", "[\"null\",\"string\"]", "null"));

    /** A record name no other test uses. */
    static String uniqueName() {
        return "u.R" + java.util.UUID.randomUUID().toString().replace("-", "");
    }

    /**
     * Version {@code n} (1-based) of a record: field f1 string, then f2..fn ints with defaults. Any two versions of
     * one name are compatible at every level.
     */
    static String versioned(String name, int n) {
        String[] fields = new String[n];
        fields[0] = field("f1", q("string"));
        for (int i = 2; i <= n; i++) {
            fields[i - 1] = field("f" + i, q("int"), "0");
        }
        return record(name, fields);
    }

    /** A schema with a distinct name: one per index, all different. */
    static String distinct(String prefix, int i) {
        return record("t." + prefix + i, field("v", q("string")));
    }
}
