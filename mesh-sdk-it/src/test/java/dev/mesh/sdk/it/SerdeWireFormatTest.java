package dev.mesh.sdk.it;

import dev.mesh.sdk.registry.RegistryClient;
import dev.mesh.sdk.internal.serde.AvroDeserializer;
import dev.mesh.sdk.internal.serde.AvroSerializer;
import dev.mesh.sdk.internal.serde.WireFormat;
import dev.mesh.sdk.it.model.TestOrder;
import dev.mesh.testkit.KafkaExtension;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@ExtendWith({KafkaExtension.class, TestMesh.class})
class SerdeWireFormatTest {

    static TestOrder order(String id, String amount) {
        return TestOrder.newBuilder().setOrderId(id).setCustomerId("c-1").setEmail("ann@example.com")
                .setTotalAmount(new BigDecimal(amount)).setPlacedAt(Instant.ofEpochMilli(1_790_000_000_000L)).build();
    }

    @Test
    void specificRecordsRoundTripInConfluentWireFormatByteByByte(TestMesh mesh) throws Exception {
        String topic = TestMesh.uniqueDomain() + ".orders.v1";
        Map<String, Object> config = mesh.config("serde-test");
        AvroSerializer<TestOrder> serializer = new AvroSerializer<>();
        serializer.configure(config, false);
        TestOrder order = order("o-1", "12.34");

        byte[] bytes = serializer.serialize(topic, order);

        RegistryClient registry = RegistryClient.create(config);
        int id = registry.latest(topic + "-value").id();
        assertThat(bytes[0]).as("magic byte").isEqualTo((byte) 0);
        assertThat(ByteBuffer.wrap(bytes, 1, 4).getInt()).as("schema id, big-endian").isEqualTo(id);
        assertThat(WireFormat.schemaId(bytes)).isEqualTo(id);
        ByteArrayOutputStream plain = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(plain, null);
        new SpecificDatumWriter<>(TestOrder.class).write(order, encoder);
        encoder.flush();
        assertThat(Arrays.copyOfRange(bytes, 5, bytes.length)).as("plain Avro binary after the header")
                .isEqualTo(plain.toByteArray());

        AvroDeserializer<TestOrder> specific = new AvroDeserializer<>(registry, TestOrder.class);
        assertThat(specific.deserialize(topic, bytes)).isEqualTo(order);

        AvroDeserializer<GenericRecord> generic = new AvroDeserializer<>();
        generic.configure(config, false);
        GenericRecord back = generic.deserialize(topic, bytes);
        assertThat(back.get("orderId").toString()).isEqualTo("o-1");
        assertThat(back.get("totalAmount")).isEqualTo(new BigDecimal("12.34"));
    }

    @Test
    void genericRecordsRoundTripAndAnOldSchemaRecordIsReadByNewSchemaCode(TestMesh mesh) {
        String topic = TestMesh.uniqueDomain() + ".customers.v1";
        Schema v1 = new Schema.Parser().parse("""
                {"type":"record","name":"Customer","namespace":"shop","fields":[
                  {"name":"customerId","type":"string"},{"name":"name","type":"string"}]}""");
        Schema v2 = new Schema.Parser().parse("""
                {"type":"record","name":"Customer","namespace":"shop","fields":[
                  {"name":"customerId","type":"string"},{"name":"name","type":"string"},
                  {"name":"tier","type":"string","default":"standard"}]}""");
        Map<String, Object> config = mesh.config("serde-test");
        AvroSerializer<GenericRecord> serializer = new AvroSerializer<>();
        serializer.configure(config, false);
        GenericRecord old = new GenericData.Record(v1);
        old.put("customerId", "c-9");
        old.put("name", "Ann");
        byte[] oldBytes = serializer.serialize(topic, old);

        AvroDeserializer<GenericRecord> newCode = new AvroDeserializer<>(RegistryClient.create(config), v2);
        GenericRecord read = newCode.deserialize(topic, oldBytes);

        assertThat(read.getSchema()).isEqualTo(v2);
        assertThat(read.get("customerId").toString()).isEqualTo("c-9");
        assertThat(read.get("tier").toString()).as("default filled in for the field v1 lacks").isEqualTo("standard");
    }

    @Test
    void bytesNotInTheWireFormatFailSayingWhy(TestMesh mesh) {
        AvroDeserializer<GenericRecord> d = new AvroDeserializer<>();
        d.configure(mesh.config("serde-test"), false);
        assertThatThrownBy(() -> d.deserialize("t", new byte[]{1, 2, 3, 4, 5, 6}))
                .isInstanceOf(SerializationException.class).hasMessageContaining("unknown magic byte 0x01");
        assertThatThrownBy(() -> d.deserialize("t", new byte[]{0, 1}))
                .isInstanceOf(SerializationException.class).hasMessageContaining("fewer than the 5-byte header");
        assertThatThrownBy(() -> d.deserialize("t", new byte[]{0, 0x7f, 0, 0, 1, 2}))
                .isInstanceOf(SerializationException.class).hasMessageContaining("unknown schema id");
    }
}
