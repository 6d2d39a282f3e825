package dev.mesh.sdk.internal.quality;

import com.google.protobuf.ByteString;
import dev.cel.common.types.MapType;
import dev.cel.common.types.SimpleType;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Rules as Confluent's executors are given them: a decimal compared with zero becomes a comparison of its Avro
 * bytes that decides as the comparison of the number does, for every sign and length; anything else over a decimal
 * is named as not portable.
 */
class PortableCelTest {
    private static final Schema ORDER = new Schema.Parser().parse("""
            {"type": "record", "name": "O", "fields": [
              {"name": "total", "type": {"type": "bytes", "logicalType": "decimal", "precision": 12, "scale": 2}},
              {"name": "budget", "type": ["null", {"type": "bytes", "logicalType": "decimal", "precision": 12, "scale": 2}], "default": null},
              {"name": "count", "type": "int"},
              {"name": "lines", "type": {"type": "array", "items": {"type": "record", "name": "L", "fields": [
                {"name": "unitPrice", "type": {"type": "bytes", "logicalType": "decimal", "precision": 9, "scale": 2}}]}}}]}""");
    private static final CelCompiler COMPILER = CelCompilerFactory.standardCelCompilerBuilder()
            .addVar("message", MapType.create(SimpleType.STRING, SimpleType.DYN)).setResultType(SimpleType.BOOL).build();
    private static final CelRuntime RUNTIME = CelRuntimeFactory.standardCelRuntimeBuilder().build();

    @Test
    void aDecimalComparedWithZeroIsComparedByItsBytes() {
        assertThat(PortableCel.of("message.total > 0.0", ORDER)).isEqualTo("(message.total > b'\\x00' && message.total < b'\\x80')");
        assertThat(PortableCel.of("message.count == 1 || message.total >= 0", ORDER))
                .isEqualTo("message.count == 1 || message.total < b'\\x80'");
        assertThat(PortableCel.of("message.lines.all(l, l.unitPrice != 0.00)", ORDER)).isEqualTo("message.lines.all(l, l.unitPrice > b'\\x00')");
        assertThat(PortableCel.of("message.count > 0", ORDER)).as("not a decimal: unchanged").isEqualTo("message.count > 0");
        assertThat(PortableCel.unportable("message.total > 0.0 && message.lines.all(l, l.unitPrice <= 0)", ORDER)).isEmpty();
    }

    @Test
    void aDecimalComparedWithAnythingElseOrInArithmeticIsNamed() {
        assertThat(PortableCel.unportable("message.total > 0.5", ORDER)).containsExactly("message.total");
        assertThat(PortableCel.unportable("message.total - message.total == 0.0", ORDER)).containsExactly("message.total");
        assertThat(PortableCel.unportable("1.0 + message.total > 0.0", ORDER)).containsExactly("message.total");
        assertThat(PortableCel.unportable("message.total > 0.0 + 1.0", ORDER)).containsExactly("message.total");
        assertThat(PortableCel.unportable("message.budget > message.total", ORDER)).containsExactly("message.budget", "message.total");
        assertThat(PortableCel.unportable("message.count > 10", ORDER)).isEmpty();
    }

    /** Every operator, on values of every sign and byte length as Avro writes them (BigInteger's two's complement). */
    @Test
    void theBytesFormDecidesAsTheNumberDoes() throws Exception {
        Random random = new Random(20261207);
        List<BigDecimal> values = new java.util.ArrayList<>(List.of(BigDecimal.ZERO.setScale(2), new BigDecimal("0.01"),
                new BigDecimal("-0.01"), new BigDecimal("1.27"), new BigDecimal("1.28"), new BigDecimal("-1.28"), new BigDecimal("-1.29"),
                new BigDecimal("9999999999.99"), new BigDecimal("-9999999999.99")));
        for (int i = 0; i < 500; i++) {
            values.add(new BigDecimal(new BigInteger(1 + random.nextInt(40), random).multiply(BigInteger.valueOf(random.nextBoolean() ? 1 : -1)), 2));
        }
        for (String op : List.of(">", ">=", "<", "<=", "==", "!=")) {
            CelRuntime.Program program = RUNTIME.createProgram(COMPILER.compile(PortableCel.of("message.total " + op + " 0.0", ORDER)).getAst());
            for (BigDecimal v : values) {
                boolean expected = switch (op) {
                    case ">" -> v.signum() > 0;
                    case ">=" -> v.signum() >= 0;
                    case "<" -> v.signum() < 0;
                    case "<=" -> v.signum() <= 0;
                    case "==" -> v.signum() == 0;
                    default -> v.signum() != 0;
                };
                ByteString bytes = ByteString.copyFrom(v.unscaledValue().toByteArray());
                assertThat(program.eval(Map.of("message", Map.of("total", bytes)))).as("%s %s 0", v, op).isEqualTo(expected);
            }
        }
    }
}
