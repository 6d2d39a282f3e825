package dev.mesh.sdk.registry;

import org.apache.avro.Schema;

/**
 * Turns Avro's incompatibility location, a JSON pointer into the reader schema such as {@code /fields/3/type},
 * into the field a person recognises: {@code field 'lines[].unitPrice'}.
 */
final class FieldPath {
    private FieldPath() {
    }

    static String describe(Schema reader, String location) {
        if (location == null || location.isEmpty() || location.equals("/")) {
            return "the top-level " + CompatibilityChecker.typeName(reader);
        }
        String[] tokens = location.substring(1).split("/");
        StringBuilder path = new StringBuilder();
        Schema current = reader;
        for (int i = 0; i < tokens.length && current != null; i++) {
            String token = tokens[i];
            switch (token) {
                case "fields" -> {
                    if (i + 1 < tokens.length && current.getType() == Schema.Type.RECORD) {
                        int index = Integer.parseInt(tokens[++i]);
                        Schema.Field field = current.getFields().get(index);
                        if (!path.isEmpty()) {
                            path.append('.');
                        }
                        path.append(field.name());
                        current = field.schema();
                        if (i + 1 < tokens.length && tokens[i + 1].equals("type")) {
                            i++;
                        }
                    }
                }
                case "items" -> {
                    path.append("[]");
                    current = current.getType() == Schema.Type.ARRAY ? current.getElementType() : null;
                }
                case "values" -> {
                    path.append("{}");
                    current = current.getType() == Schema.Type.MAP ? current.getValueType() : null;
                }
                case "type", "symbols", "name", "size" -> {
                    // the field itself is the place; these name the aspect of it
                }
                default -> {
                    if (current.getType() == Schema.Type.UNION && token.chars().allMatch(Character::isDigit)) {
                        int branch = Integer.parseInt(token);
                        if (branch < current.getTypes().size()) {
                            current = current.getTypes().get(branch);
                        }
                    }
                }
            }
        }
        return path.isEmpty() ? "the top-level " + CompatibilityChecker.typeName(reader) : "field '" + path + "'";
    }
}
