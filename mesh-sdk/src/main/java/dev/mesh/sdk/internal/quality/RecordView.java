package dev.mesh.sdk.internal.quality;

import org.apache.avro.generic.IndexedRecord;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * An Avro record as CEL's runtime sees a struct: a map from field name to value. Nothing is copied; a field is
 * read and converted only when an expression selects it, so a rule that looks at one field costs one field.
 */
final class RecordView extends AbstractMap<String, Object> {
    private final IndexedRecord record;
    private final RecordLayout layout;

    RecordView(IndexedRecord record, RecordLayout layout) {
        this.record = record;
        this.layout = layout;
    }

    @Override
    public Object get(Object key) {
        RecordLayout.Slot slot = layout.slot(key);
        return slot == null ? null : slot.valueIn(record);
    }

    /** CEL asks this before selecting a field; every field of the schema is present, null or not. */
    @Override
    public boolean containsKey(Object key) {
        return layout.slot(key) != null;
    }

    @Override
    public int size() {
        return layout.size();
    }

    @Override
    public Set<Entry<String, Object>> entrySet() {
        return new AbstractSet<>() {
            @Override
            public Iterator<Entry<String, Object>> iterator() {
                return new Iterator<>() {
                    private int next;

                    @Override
                    public boolean hasNext() {
                        return next < layout.size();
                    }

                    @Override
                    public Entry<String, Object> next() {
                        if (!hasNext()) {
                            throw new NoSuchElementException();
                        }
                        RecordLayout.Slot slot = layout.slotAt(next++);
                        return new SimpleImmutableEntry<>(slot.name(), slot.valueIn(record));
                    }
                };
            }

            @Override
            public int size() {
                return layout.size();
            }
        };
    }
}
