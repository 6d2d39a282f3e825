package dev.mesh.sdk.internal.quality;

import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.ast.CelConstant;
import dev.cel.common.ast.CelExpr;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.IndexedRecord;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A fast path for the simple rules: a checked CEL expression made of field selections, constants, comparisons,
 * {@code &&}, {@code ||}, {@code !}, {@code size}, {@code in} a literal list and {@code all} over a list, turned
 * into plain Java over the Avro record. It answers only when it is certain; a rule it cannot compile, or a record
 * it cannot be sure of (a null, a NaN, a value of an unexpected kind), goes to the CEL program, which also gives
 * every failure its reason. So a record passes the fast path only where CEL would pass it: CEL stays the meaning,
 * this only skips the interpreter for the records that pass (tested against CEL on generated records).
 */
final class FastRules {
    /** Three answers: certainly true, certainly false, or ask CEL. */
    enum Answer {
        TRUE, FALSE, UNKNOWN;

        static Answer of(boolean b) {
            return b ? TRUE : FALSE;
        }
    }

    /** A compiled rule: evaluated with the variables bound by position in {@code frame}. */
    interface Rule {
        Answer test(Object[] frame);
    }

    private interface Value {
        /** The value, or {@link #UNKNOWN_VALUE} when it cannot be had with certainty. */
        Object get(Object[] frame);
    }

    private static final Object UNKNOWN_VALUE = new Object();
    private static final double TWO_53 = 9_007_199_254_740_992.0;

    private FastRules() {
    }

    /** The rule's fast path, or empty when it uses anything beyond the simple subset. */
    static Optional<Rule> compile(CelAbstractSyntaxTree ast, Schema schema) {
        try {
            Scope scope = new Scope();
            scope.bind(CompiledRules.RECORD_VARIABLE, schema);
            return Optional.of(bool(ast.getExpr(), scope));
        } catch (Unsupported e) {
            return Optional.empty();
        }
    }

    /** Runs a compiled rule on a record. */
    static boolean passes(Rule rule, IndexedRecord record) {
        Object[] frame = new Object[4];
        frame[0] = record;
        return rule.test(frame) == Answer.TRUE;
    }

    private static final class Unsupported extends Exception {
        Unsupported() {
            super(null, null, false, false);
        }
    }

    /** Variables in scope with their frame slot and Avro schema: the record, then comprehension variables. */
    private static final class Scope {
        private final List<String> names = new ArrayList<>();
        private final List<Schema> schemas = new ArrayList<>();

        int bind(String name, Schema schema) throws Unsupported {
            if (names.size() == 4) {
                throw new Unsupported();
            }
            names.add(name);
            schemas.add(schema);
            return names.size() - 1;
        }

        void unbind() {
            names.remove(names.size() - 1);
            schemas.remove(schemas.size() - 1);
        }

        int slot(String name) throws Unsupported {
            int i = names.lastIndexOf(name);
            if (i < 0) {
                throw new Unsupported();
            }
            return i;
        }

        Schema schema(int slot) {
            return schemas.get(slot);
        }
    }

    private static Rule bool(CelExpr e, Scope scope) throws Unsupported {
        switch (e.getKind()) {
            case CONSTANT -> {
                if (e.constant().getKind() != CelConstant.Kind.BOOLEAN_VALUE) {
                    throw new Unsupported();
                }
                Answer a = Answer.of(e.constant().booleanValue());
                return frame -> a;
            }
            case CALL -> {
                return call(e.call(), scope);
            }
            case COMPREHENSION -> {
                return all(e.comprehension(), scope);
            }
            default -> throw new Unsupported();
        }
    }

    private static Rule call(CelExpr.CelCall call, Scope scope) throws Unsupported {
        List<CelExpr> args = call.args();
        switch (call.function()) {
            case "_&&_" -> {
                Rule a = bool(args.get(0), scope);
                Rule b = bool(args.get(1), scope);
                return frame -> {
                    Answer x = a.test(frame);
                    if (x == Answer.FALSE) {
                        return Answer.FALSE;
                    }
                    Answer y = b.test(frame);
                    return y == Answer.FALSE ? Answer.FALSE : x == Answer.TRUE && y == Answer.TRUE ? Answer.TRUE : Answer.UNKNOWN;
                };
            }
            case "_||_" -> {
                Rule a = bool(args.get(0), scope);
                Rule b = bool(args.get(1), scope);
                return frame -> {
                    Answer x = a.test(frame);
                    if (x == Answer.TRUE) {
                        return Answer.TRUE;
                    }
                    Answer y = b.test(frame);
                    return y == Answer.TRUE ? Answer.TRUE : x == Answer.FALSE && y == Answer.FALSE ? Answer.FALSE : Answer.UNKNOWN;
                };
            }
            case "!_" -> {
                Rule a = bool(args.get(0), scope);
                return frame -> switch (a.test(frame)) {
                    case TRUE -> Answer.FALSE;
                    case FALSE -> Answer.TRUE;
                    case UNKNOWN -> Answer.UNKNOWN;
                };
            }
            case "_==_", "_!=_", "_<_", "_<=_", "_>_", "_>=_" -> {
                String op = call.function();
                boolean ordering = !op.equals("_==_") && !op.equals("_!=_");
                if (ordering && (isString(args.get(0)) || isString(args.get(1)))) {
                    throw new Unsupported(); // CEL orders strings by code point, Java by UTF-16 unit
                }
                Value a = value(args.get(0), scope);
                Value b = value(args.get(1), scope);
                return frame -> compare(op, a.get(frame), b.get(frame));
            }
            case "@in" -> {
                Value a = value(args.get(0), scope);
                CelExpr list = args.get(1);
                if (list.getKind() != CelExpr.ExprKind.Kind.LIST) {
                    throw new Unsupported();
                }
                List<Object> items = new ArrayList<>();
                for (CelExpr item : list.list().elements()) {
                    items.add(constant(item));
                }
                return frame -> {
                    Object v = a.get(frame);
                    if (v == UNKNOWN_VALUE) {
                        return Answer.UNKNOWN;
                    }
                    boolean unsure = false;
                    for (Object item : items) {
                        Answer eq = compare("_==_", v, item);
                        if (eq == Answer.TRUE) {
                            return Answer.TRUE;
                        }
                        unsure |= eq == Answer.UNKNOWN;
                    }
                    return unsure ? Answer.UNKNOWN : Answer.FALSE;
                };
            }
            default -> throw new Unsupported();
        }
    }

    /** {@code list.all(x, body)}, as CEL's macro expands it. */
    private static Rule all(CelExpr.CelComprehension c, Scope scope) throws Unsupported {
        boolean allShape = !c.iterVar2().isEmpty() ? false
                : c.accuInit().getKind() == CelExpr.ExprKind.Kind.CONSTANT
                && c.accuInit().constant().getKind() == CelConstant.Kind.BOOLEAN_VALUE && c.accuInit().constant().booleanValue()
                && c.result().getKind() == CelExpr.ExprKind.Kind.IDENT && c.result().ident().name().equals(c.accuVar())
                && c.loopStep().getKind() == CelExpr.ExprKind.Kind.CALL && c.loopStep().call().function().equals("_&&_")
                && c.loopStep().call().args().get(0).getKind() == CelExpr.ExprKind.Kind.IDENT
                && c.loopStep().call().args().get(0).ident().name().equals(c.accuVar());
        if (!allShape) {
            throw new Unsupported();
        }
        CelExpr range = c.iterRange();
        Field list = field(range, scope);
        if (list.schema().getType() != Schema.Type.ARRAY) {
            throw new Unsupported();
        }
        int slot = scope.bind(c.iterVar(), list.schema().getElementType());
        Rule body;
        try {
            body = bool(c.loopStep().call().args().get(1), scope);
        } finally {
            scope.unbind();
        }
        return frame -> {
            Object items = list.get(frame);
            if (!(items instanceof Collection<?> collection)) {
                return Answer.UNKNOWN;
            }
            boolean unsure = false;
            for (Object item : collection) {
                frame[slot] = item;
                Answer a = body.test(frame);
                if (a == Answer.FALSE) {
                    return Answer.FALSE;
                }
                unsure |= a == Answer.UNKNOWN;
            }
            return unsure ? Answer.UNKNOWN : Answer.TRUE;
        };
    }

    private static Value value(CelExpr e, Scope scope) throws Unsupported {
        return switch (e.getKind()) {
            case CONSTANT -> {
                Object c = constant(e);
                yield frame -> c;
            }
            case SELECT -> {
                Field f = field(e, scope);
                yield frame -> normalise(f.get(frame), f.schema());
            }
            case CALL -> {
                CelExpr.CelCall call = e.call();
                if (!call.function().equals("size")) {
                    throw new Unsupported();
                }
                CelExpr of = call.target().orElseGet(() -> call.args().isEmpty() ? null : call.args().get(0));
                if (of == null || call.args().size() + (call.target().isPresent() ? 1 : 0) != 1) {
                    throw new Unsupported();
                }
                Field f = field(of, scope);
                yield frame -> size(f.get(frame));
            }
            default -> throw new Unsupported();
        };
    }

    private static boolean isString(CelExpr e) {
        return e.getKind() == CelExpr.ExprKind.Kind.CONSTANT && e.constant().getKind() == CelConstant.Kind.STRING_VALUE;
    }

    private static Object constant(CelExpr e) throws Unsupported {
        if (e.getKind() != CelExpr.ExprKind.Kind.CONSTANT) {
            throw new Unsupported();
        }
        CelConstant c = e.constant();
        return switch (c.getKind()) {
            case INT64_VALUE -> c.int64Value();
            case DOUBLE_VALUE -> c.doubleValue();
            case STRING_VALUE -> c.stringValue();
            case BOOLEAN_VALUE -> c.booleanValue();
            default -> throw new Unsupported();
        };
    }

    /** A field of a record variable, possibly nested: {@code message.a.b}, {@code l.quantity}. */
    private record Field(int slot, int[] path, Schema schema) {
        Object get(Object[] frame) {
            Object v = frame[slot];
            for (int pos : path) {
                if (!(v instanceof IndexedRecord r)) {
                    return UNKNOWN_VALUE;
                }
                v = r.get(pos);
            }
            return v;
        }
    }

    private static Field field(CelExpr e, Scope scope) throws Unsupported {
        List<String> names = new ArrayList<>();
        CelExpr at = e;
        while (at.getKind() == CelExpr.ExprKind.Kind.SELECT && !at.select().testOnly()) {
            names.add(0, at.select().field());
            at = at.select().operand();
        }
        if (at.getKind() != CelExpr.ExprKind.Kind.IDENT || names.isEmpty()) {
            throw new Unsupported();
        }
        int slot = scope.slot(at.ident().name());
        Schema schema = scope.schema(slot);
        int[] path = new int[names.size()];
        for (int i = 0; i < names.size(); i++) {
            if (schema.getType() == Schema.Type.UNION && nonNull(schema) != null) {
                schema = nonNull(schema); // an optional record: null at run time is UNKNOWN, so CEL says what it means
            }
            if (schema.getType() != Schema.Type.RECORD || schema.getField(names.get(i)) == null) {
                throw new Unsupported();
            }
            Schema.Field f = schema.getField(names.get(i));
            path[i] = f.pos();
            schema = f.schema();
        }
        return new Field(slot, path, schema);
    }

    /**
     * The field's value as CEL sees it, for the kinds this path compares: Long, Double (decimals and floats become
     * doubles, as in CEL), String (strings and enum symbols), Boolean, or a collection for {@code size}/{@code all}.
     */
    private static Object normalise(Object v, Schema schema) {
        if (v == null || v == UNKNOWN_VALUE) {
            return UNKNOWN_VALUE;
        }
        Schema s = schema.getType() == Schema.Type.UNION ? nonNull(schema) : schema;
        if (s == null) {
            return UNKNOWN_VALUE;
        }
        if (s.getLogicalType() instanceof LogicalTypes.Decimal d) {
            BigDecimal dec = v instanceof BigDecimal b ? b : v instanceof ByteBuffer buf
                    ? new BigDecimal(new BigInteger(bytes(buf)), d.getScale()) : v instanceof GenericData.Fixed fixed
                    ? new BigDecimal(new BigInteger(fixed.bytes()), d.getScale()) : null;
            return dec == null ? UNKNOWN_VALUE : dec.doubleValue();
        }
        if (s.getLogicalType() != null) {
            return UNKNOWN_VALUE;
        }
        return switch (s.getType()) {
            case INT, LONG -> v instanceof Number n ? n.longValue() : UNKNOWN_VALUE;
            case FLOAT, DOUBLE -> v instanceof Number n ? n.doubleValue() : UNKNOWN_VALUE;
            case STRING, ENUM -> v instanceof CharSequence || v instanceof GenericData.EnumSymbol || v instanceof Enum<?>
                    ? v.toString() : UNKNOWN_VALUE;
            case BOOLEAN -> v instanceof Boolean ? v : UNKNOWN_VALUE;
            default -> UNKNOWN_VALUE;
        };
    }

    private static Schema nonNull(Schema union) {
        Schema only = null;
        for (Schema t : union.getTypes()) {
            if (t.getType() != Schema.Type.NULL) {
                if (only != null) {
                    return null;
                }
                only = t;
            }
        }
        return only;
    }

    private static byte[] bytes(ByteBuffer buf) {
        byte[] out = new byte[buf.remaining()];
        buf.duplicate().get(out);
        return out;
    }

    private static Object size(Object v) {
        if (v instanceof CharSequence s) {
            return (long) s.toString().codePointCount(0, s.length());
        }
        if (v instanceof Collection<?> c) {
            return (long) c.size();
        }
        if (v instanceof Map<?, ?> m) {
            return (long) m.size();
        }
        return UNKNOWN_VALUE;
    }

    /** A comparison CEL would make the same way; UNKNOWN for anything it might treat differently. */
    private static Answer compare(String op, Object a, Object b) {
        if (a == UNKNOWN_VALUE || b == UNKNOWN_VALUE) {
            return Answer.UNKNOWN;
        }
        int cmp;
        if (a instanceof String x && b instanceof String y) {
            // only equality: CEL orders strings by code point, Java by UTF-16 unit
            return switch (op) {
                case "_==_" -> Answer.of(x.equals(y));
                case "_!=_" -> Answer.of(!x.equals(y));
                default -> Answer.UNKNOWN;
            };
        } else if (a instanceof Boolean x && b instanceof Boolean y) {
            return switch (op) {
                case "_==_" -> Answer.of(x.equals(y));
                case "_!=_" -> Answer.of(!x.equals(y));
                default -> Answer.UNKNOWN;
            };
        } else if (a instanceof Long x && b instanceof Long y) {
            cmp = Long.compare(x, y);
        } else if (a instanceof Number x && b instanceof Number y) {
            double dx = x.doubleValue();
            double dy = y.doubleValue();
            // exact only where every long involved is a double too; NaN compares as nothing in CEL
            if (Double.isNaN(dx) || Double.isNaN(dy) || (x instanceof Long && Math.abs(dx) > TWO_53)
                    || (y instanceof Long && Math.abs(dy) > TWO_53)) {
                return Answer.UNKNOWN;
            }
            cmp = Double.compare(dx, dy);
            if (dx == 0.0 && dy == 0.0) {
                cmp = 0; // -0.0 == 0.0
            }
        } else {
            return Answer.UNKNOWN;
        }
        return switch (op) {
            case "_==_" -> Answer.of(cmp == 0);
            case "_!=_" -> Answer.of(cmp != 0);
            case "_<_" -> Answer.of(cmp < 0);
            case "_<=_" -> Answer.of(cmp <= 0);
            case "_>_" -> Answer.of(cmp > 0);
            case "_>=_" -> Answer.of(cmp >= 0);
            default -> Answer.UNKNOWN;
        };
    }
}
