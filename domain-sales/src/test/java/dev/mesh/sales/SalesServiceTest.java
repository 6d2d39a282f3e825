package dev.mesh.sales;

import dev.mesh.testkit.KafkaExtension;
import dev.mesh.testkit.TestKafka;
import io.micronaut.context.ApplicationContext;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.client.HttpClient;
import io.micronaut.runtime.server.EmbeddedServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(KafkaExtension.class)
class SalesServiceTest {

    @Test
    void theServiceStartsOnARealPortAndReportsItsHealth(TestKafka kafka) {
        try (EmbeddedServer server = ApplicationContext.run(EmbeddedServer.class, Map.of(
                "micronaut.server.port", -1,
                "kafka.bootstrap.servers", kafka.bootstrapServers()));
             HttpClient client = HttpClient.create(server.getURL())) {
            Map<?, ?> health = client.toBlocking().retrieve(HttpRequest.GET("/health"), Map.class);
            assertThat(health.get("status")).isEqualTo("UP");
            assertThat(server.getApplicationContext().getProperty("micronaut.application.name", String.class))
                    .contains("domain-sales");
        }
    }
}
