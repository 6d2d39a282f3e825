package dev.mesh.sdk.internal.quality;

import org.apache.avro.generic.IndexedRecord;

import java.util.HashMap;
import java.util.Map;

/**
 * One record schema's fields: where each sits in an {@link IndexedRecord} and how its value becomes a CEL value.
 * Built once per schema, so reading a field on the record path is one hash lookup and one array read.
 */
final class RecordLayout {
    private final Map<String, Slot> byName = new HashMap<>();
    private Slot[] ordered = new Slot[0];

    /** Filled after construction so that recursive schemas can refer to their own layout. */
    void fill(Slot[] slots) {
        for (Slot slot : slots) {
            byName.put(slot.name(), slot);
        }
        ordered = slots.clone();
    }

    Slot slot(Object fieldName) {
        return byName.get(fieldName);
    }

    Slot slotAt(int index) {
        return ordered[index];
    }

    int size() {
        return ordered.length;
    }

    record Slot(String name, int pos, ToCel toCel) {
        Object valueIn(IndexedRecord record) {
            return toCel.convert(record.get(pos));
        }
    }
}
