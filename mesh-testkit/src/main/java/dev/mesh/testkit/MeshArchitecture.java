package dev.mesh.testkit;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The mesh's architecture as ArchUnit rules, shared by the modules that check it: the SDK has no package cycles,
 * and a domain's code uses only the SDK's public API (the packages {@link #SDK_API}), never its internals.
 */
public final class MeshArchitecture {
    /** What a domain team may use of the SDK: the entry point and what it hands out, the contract model, the errors. */
    public static final String[] SDK_API = {"dev.mesh.sdk", "dev.mesh.sdk.contract", "dev.mesh.sdk.errors"};
    /** The platform's own packages; every other package under dev.mesh is a domain's. */
    public static final String[] PLATFORM = {"dev.mesh.sdk..", "dev.mesh.schemas..", "dev.mesh.service..",
            "dev.mesh.registry..", "dev.mesh.catalog..", "dev.mesh.cli..", "dev.mesh.local..", "dev.mesh.testkit.."};

    private MeshArchitecture() {
    }

    /** Each package under {@code root} (the root package itself included) is a slice; no two may depend on each other. */
    public static ArchRule noPackageCycles(String root) {
        return slices().assignedFrom(new SliceAssignment() {
            @Override
            public SliceIdentifier getIdentifierOf(JavaClass c) {
                String pkg = c.getPackageName();
                return pkg.equals(root) || pkg.startsWith(root + ".") ? SliceIdentifier.of(pkg) : SliceIdentifier.ignore();
            }

            @Override
            public String getDescription() {
                return "packages under " + root;
            }
        }).should().beFreeOfCycles();
    }

    /**
     * The platform's code never names a domain's (any package under dev.mesh outside {@link #PLATFORM}): it finds the
     * domains from their folders and their beans at run time, so adding a domain changes no platform code.
     */
    public static ArchRule platformNeverNamesADomain() {
        return noClasses().that().resideInAnyPackage(PLATFORM)
                .should().dependOnClassesThat(com.tngtech.archunit.base.DescribedPredicate.describe(
                        "belong to a domain (a package under dev.mesh outside the platform's)",
                        (JavaClass c) -> c.getPackageName().startsWith("dev.mesh.") && java.util.Arrays.stream(PLATFORM)
                                .map(p -> p.substring(0, p.length() - 2))
                                .noneMatch(p -> c.getPackageName().equals(p) || c.getPackageName().startsWith(p + "."))))
                .because("a new domain is a folder and a module, not a change to the platform");
    }

    /**
     * Nothing outside the SDK touches its insides ({@code dev.mesh.sdk.internal..}): the platform's services use the
     * packages the SDK publishes for them ({@code kafka}, {@code json}, {@code ops}, {@code codegen}, ...), so the insides can change.
     */
    public static ArchRule onlyTheSdkUsesItsInternals() {
        return noClasses().that().resideOutsideOfPackage("dev.mesh.sdk..")
                .should().dependOnClassesThat().resideInAPackage("dev.mesh.sdk.internal..")
                .because("the SDK's internals may change in any release; what the platform needs is published");
    }

    /** Code of a domain (any package under dev.mesh outside the platform's) touches the SDK only through its API. */
    public static ArchRule domainsUseOnlyTheSdkApi() {
        return noClasses().that().resideInAPackage("dev.mesh..").and().resideOutsideOfPackages(PLATFORM)
                .should().dependOnClassesThat(com.tngtech.archunit.base.DescribedPredicate.describe(
                        "are SDK classes outside its API " + String.join(", ", SDK_API),
                        (JavaClass c) -> c.getPackageName().startsWith("dev.mesh.sdk")
                                && !java.util.Arrays.asList(SDK_API).contains(c.getPackageName())))
                .because("a domain team's code must keep compiling when the SDK's insides change");
    }
}
