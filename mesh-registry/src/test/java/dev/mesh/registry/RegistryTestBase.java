package dev.mesh.registry;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mesh.testkit.KafkaExtension;
import dev.mesh.testkit.TestKafka;
import org.apache.avro.Schema;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One registry per test class on its own {@code _schemas} topic; tests use subjects of their own
 * ({@link #subject(String)}). A test that changes global config or mode starts a registry of its own
 * ({@link #withRegistry}).
 */
@ExtendWith(KafkaExtension.class)
abstract class RegistryTestBase {
    static TestKafka kafka;
    static EmbeddedRegistry registry;
    static RegistryHttp http;

    @BeforeAll
    static void startRegistry(TestKafka testKafka) {
        kafka = testKafka;
        registry = start(Map.of());
        http = new RegistryHttp(registry.url());
    }

    @AfterAll
    static void stopRegistry() {
        if (registry != null) {
            registry.close();
            registry = null;
        }
    }

    /** A registry on a fresh topic, with extra properties. */
    static EmbeddedRegistry start(Map<String, Object> extra) {
        Map<String, Object> props = new HashMap<>();
        props.put("registry.topic", TestKafka.uniqueName("_schemas"));
        props.putAll(extra);
        return EmbeddedRegistry.start(kafka.bootstrapServers(), 0, props);
    }

    /** Runs the body against a registry of its own (fresh topic), for tests that change global settings. */
    static void withRegistry(Consumer<RegistryHttp> body) {
        try (EmbeddedRegistry own = start(Map.of())) {
            body.accept(new RegistryHttp(own.url()));
        }
    }

    static String subject(String prefix) {
        return TestKafka.uniqueName(prefix);
    }

    /** Status, media type, Confluent error body {"error_code","message"}. */
    static void assertError(RegistryHttp.Reply r, int status, int errorCode) {
        assertThat(r.status()).as("status of %s", r.text()).isEqualTo(status);
        assertThat(r.contentType()).as("content type of %s", r.text()).startsWith(RegistryHttp.V1);
        JsonNode body = r.json();
        assertThat(body.path("error_code").isInt()).as("error_code in %s", r.text()).isTrue();
        assertThat(body.path("error_code").asInt()).as("error_code in %s", r.text()).isEqualTo(errorCode);
        assertThat(body.path("message").asText()).as("message in %s", r.text()).isNotBlank();
    }

    static RegistryHttp.Reply ok(RegistryHttp.Reply r) {
        assertThat(r.status()).as("status of %s", r.text()).isEqualTo(200);
        assertThat(r.contentType()).startsWith(RegistryHttp.V1);
        return r;
    }

    static Schema avro(String json) {
        return new Schema.Parser().parse(json);
    }

    /** Same Avro schema, whatever the formatting. */
    static void assertSameSchema(String actual, String expected) {
        assertThat(avro(actual)).isEqualTo(avro(expected));
        assertThat(avro(actual).toString()).isEqualTo(avro(expected).toString());
    }

    static List<Integer> ints(JsonNode array) {
        assertThat(array.isArray()).as("array: %s", array).isTrue();
        List<Integer> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asInt()));
        return out;
    }

    static List<String> strings(JsonNode array) {
        assertThat(array.isArray()).as("array: %s", array).isTrue();
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    static void setSubjectLevel(RegistryHttp h, String subject, String level) {
        RegistryHttp.Reply r = h.put("/config/" + subject, "{\"compatibility\":\"" + level + "\"}");
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        assertThat(r.json().path("compatibility").asText()).isEqualTo(level);
    }
}
