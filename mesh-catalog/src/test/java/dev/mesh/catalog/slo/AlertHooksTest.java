package dev.mesh.catalog.slo;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micronaut.context.exceptions.ConfigurationException;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AlertHooksTest {

    @Test
    void aDomainsOwnWebhookWinsOverTheDefault() {
        try (AlertHooks hooks = new AlertHooks(Map.of("sales", "https://chat.example/sales"), "http://pager.example/all", 3,
                new SimpleMeterRegistry())) {
            assertThat(hooks.webhookOf("sales")).contains(URI.create("https://chat.example/sales"));
            assertThat(hooks.webhookOf("finance")).contains(URI.create("http://pager.example/all"));
        }
        try (AlertHooks none = new AlertHooks(null, null, 3, new SimpleMeterRegistry())) {
            assertThat(none.webhookOf("sales")).isEmpty();
        }
    }

    @Test
    void aBadSettingNamesItsKeyAndValue() {
        assertThatThrownBy(() -> new AlertHooks(Map.of("sales", "file:///etc/passwd"), null, 3, new SimpleMeterRegistry()))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("catalog.alerts.webhooks.sales is 'file:///etc/passwd'");
        assertThatThrownBy(() -> new AlertHooks(null, "chat", 3, new SimpleMeterRegistry()))
                .hasMessageContaining("catalog.alerts.webhook is 'chat'");
        assertThatThrownBy(() -> new AlertHooks(null, null, 0, new SimpleMeterRegistry()))
                .hasMessageContaining("catalog.alerts.attempts is 0");
    }
}
