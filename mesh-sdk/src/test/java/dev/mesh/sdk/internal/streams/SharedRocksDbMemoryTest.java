package dev.mesh.sdk.internal.streams;

import dev.mesh.sdk.errors.MeshException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SharedRocksDbMemoryTest {
    @Test
    void theBudgetIsTheDefaultOrAPositiveNumberOfBytes() {
        assertThat(SharedRocksDbMemory.budget(null)).isEqualTo(64L * 1024 * 1024);
        assertThat(SharedRocksDbMemory.budget(" 33554432 ")).isEqualTo(33_554_432L);
        assertThat(SharedRocksDbMemory.budget(1024L)).isEqualTo(1024L);
    }

    @Test
    void anythingElseIsRefusedNamingTheSettingAndTheValue() {
        for (Object junk : new Object[]{"64MB", "", "-1", "0", "9".repeat(30)}) {
            assertThatThrownBy(() -> SharedRocksDbMemory.budget(junk)).isInstanceOf(MeshException.class)
                    .hasMessageContaining("mesh.rocksdb.memory.bytes").hasMessageContaining("'" + junk + "'");
        }
    }
}
