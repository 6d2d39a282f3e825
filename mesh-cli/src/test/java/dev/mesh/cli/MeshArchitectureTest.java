package dev.mesh.cli;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import dev.mesh.testkit.MeshArchitecture;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The whole mesh as built (every module, the domains included, is on the CLI's classpath): the domains use the SDK only through its API, the platform names no domain. */
class MeshArchitectureTest {
    private static final JavaClasses MESH = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("dev.mesh");

    @Test
    void everyDomainUsesOnlyTheSdksApi() {
        assertThat(MESH.stream().map(c -> c.getPackageName()).distinct())
                .as("the domains are on the classpath").contains("dev.mesh.sales", "dev.mesh.finance", "dev.mesh.marketing");
        MeshArchitecture.domainsUseOnlyTheSdkApi().check(MESH);
    }

    @Test
    void nothingOutsideTheSdkUsesItsInternals() {
        MeshArchitecture.onlyTheSdkUsesItsInternals().check(MESH);
    }

    @Test
    void noPlatformCodeNamesADomain() {
        MeshArchitecture.platformNeverNamesADomain().check(MESH);
    }

    @Test
    void theSdkHasNoPackageCycle() {
        MeshArchitecture.noPackageCycles("dev.mesh.sdk").check(MESH);
    }
}
