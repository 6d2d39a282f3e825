package dev.mesh.registry;

import dev.mesh.testkit.KafkaExtension;
import dev.mesh.testkit.TestKafka;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(KafkaExtension.class)
class RegistrySmokeTest {

    static final String ORDER_V1 = """
            {"type":"record","name":"Order","namespace":"shop","fields":[
              {"name":"orderId","type":"string"},{"name":"amount","type":"double"}]}""";
    static final String ORDER_STRING_AMOUNT = """
            {"type":"record","name":"Order","namespace":"shop","fields":[
              {"name":"orderId","type":"string"},{"name":"amount","type":"string"}]}""";

    @Test
    void registersReadsBackAndExplainsAnIncompatibility(TestKafka kafka) {
        try (EmbeddedRegistry registry = EmbeddedRegistry.start(kafka.bootstrapServers(), 0,
                Map.of("registry.topic", TestKafka.uniqueName("_schemas")))) {
            RegistryHttp http = new RegistryHttp(registry.url());
            int id = http.registerId("sales.orders.v1-value", ORDER_V1);
            RegistryHttp.Reply byId = http.get("/schemas/ids/" + id);
            assertThat(byId.status()).isEqualTo(200);
            assertThat(byId.contentType()).startsWith(RegistryHttp.V1);
            assertThat(byId.json().get("schema").asText()).contains("\"amount\"");

            RegistryHttp.Reply rejected = http.register("sales.orders.v1-value", ORDER_STRING_AMOUNT);
            assertThat(rejected.status()).isEqualTo(409);
            assertThat(rejected.message()).contains(
                    "sales.orders.v1-value: field 'amount' changed type from double to string",
                    "the new schema (reader) cannot read data written with version 1 (writer)");

            assertThat(http.get("/subjects/nope/versions").errorCode()).isEqualTo(40401);
            RegistryHttp.Reply health = http.get("/health");
            assertThat(health.status()).isEqualTo(200);
            assertThat(health.text()).contains("\"caughtUp\":true");
        }
    }
}
