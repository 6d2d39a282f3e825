package dev.mesh.catalog;

import java.util.List;

/**
 * One row of a schema's field table.
 *
 * @param path  where the field sits, e.g. {@code lines[].unitPrice}
 * @param depth nesting level, for indentation
 * @param defaultValue the default as JSON text, null without one
 */
public record FieldRow(String path, String name, int depth, String type, String doc, List<String> tags,
                       boolean pii, String defaultValue) {
}
