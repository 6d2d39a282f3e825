package dev.mesh.sdk.internal.quality;

import java.util.AbstractList;
import java.util.List;

/** An Avro array as a CEL list, converting each element when it is read. */
final class ConvertedList extends AbstractList<Object> {
    private final List<?> items;
    private final ToCel toCel;

    ConvertedList(List<?> items, ToCel toCel) {
        this.items = items;
        this.toCel = toCel;
    }

    @Override
    public Object get(int index) {
        return toCel.convert(items.get(index));
    }

    @Override
    public int size() {
        return items.size();
    }
}
