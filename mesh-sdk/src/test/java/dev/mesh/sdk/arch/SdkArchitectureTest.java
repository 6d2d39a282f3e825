package dev.mesh.sdk.arch;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import dev.mesh.testkit.MeshArchitecture;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The SDK's packages form no cycle, and the rules that say so do catch one (and a domain using an internal). */
class SdkArchitectureTest {
    private static final JavaClasses SDK = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("dev.mesh.sdk");
    private static final JavaClasses FIXTURES = new ClassFileImporter().importPackages("dev.mesh.archfixture");

    @Test
    void theSdkHasNoPackageCycle() {
        MeshArchitecture.noPackageCycles("dev.mesh.sdk").check(SDK);
    }

    @Test
    void theCycleRuleCatchesACycle() {
        var result = MeshArchitecture.noPackageCycles("dev.mesh.archfixture").evaluate(FIXTURES);
        assertThat(result.hasViolation()).isTrue();
        assertThat(result.getFailureReport().toString()).contains("dev.mesh.archfixture.a", "dev.mesh.archfixture.b");
    }

    @Test
    void theBoundaryRuleCatchesADomainUsingAnSdkInternal() {
        var result = MeshArchitecture.domainsUseOnlyTheSdkApi().evaluate(FIXTURES);
        assertThat(result.hasViolation()).isTrue();
        assertThat(result.getFailureReport().toString()).contains("ShopTopology", "dev.mesh.sdk.internal.serde.StateSerde");
    }

    @Test
    void theInternalsRuleCatchesAnyoneOutsideTheSdk() {
        var result = MeshArchitecture.onlyTheSdkUsesItsInternals().evaluate(FIXTURES);
        assertThat(result.hasViolation()).isTrue();
        assertThat(result.getFailureReport().toString()).contains("ShopTopology", "dev.mesh.sdk.internal.serde.StateSerde");
    }
}
