package dev.mesh.cli;

import dev.mesh.cli.scaffold.DomainScaffold;
import dev.mesh.sdk.Domains;
import dev.mesh.sdk.contract.ContractException;
import dev.mesh.sdk.contract.DomainDescriptor;
import dev.mesh.sdk.contract.loader.ContractLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A domain is a folder and a module: `mesh new domain` writes both and puts them where the mesh finds them. */
class NewDomainTest {
    private static final Path ROOT = Path.of("..");

    /** docker-compose.yml's domain services are what the folders say, so compose runs every domain and no other. */
    @Test
    void composeRunsEveryDomainOfTheFolders() throws IOException {
        String compose = Files.readString(ROOT.resolve("docker-compose.yml"));
        List<DomainDescriptor> folders = DomainScaffold.domains(ROOT.resolve("schemas/products"));
        assertThat(folders).extracting(DomainDescriptor::name).containsExactly("finance", "marketing", "productdev", "sales");
        assertThat(compose).as("docker-compose.yml as `mesh new domain` writes it from the folders")
                .isEqualTo(DomainScaffold.compose(compose, folders));
        assertThat(compose).contains("MESH_DOMAIN: productdev", "ports: [\"8204:8104\"]");
    }

    /** What runs (the classpath's folders) is what the checkout's folders declare. */
    @Test
    void theMeshRunsTheDomainsOfTheFolders() {
        assertThat(Domains.all()).isEqualTo(DomainScaffold.domains(ROOT.resolve("schemas/products")));
    }

    @Test
    void scaffoldsAFolderAModuleAndItsPlaces(@TempDir Path root) throws IOException {
        copy(ROOT, root, "pom.xml", "domains/pom.xml", "docker-compose.yml");
        for (DomainDescriptor d : Domains.all()) {
            copy(ROOT, root, "schemas/products/" + d.name() + "/domain.yaml");
        }
        CliRun run = CliRun.of(List.of("new", "domain", "widgets", "--title", "Widget Works", "--owner", "widgets",
                "--contact", "widgets@shop.example", "--root", root.toString()));
        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out()).contains("domain widgets: service on port 8105");

        DomainDescriptor widgets = ContractLoader.loadDomain(root.resolve("schemas/products/widgets/domain.yaml"));
        assertThat(widgets.title()).isEqualTo("Widget Works");
        assertThat(widgets.owner().contact()).isEqualTo("widgets@shop.example");
        assertThat(Files.readString(root.resolve("pom.xml"))).contains("<module>domain-widgets</module>\n    <module>domains</module>");
        assertThat(Files.readString(root.resolve("domains/pom.xml"))).contains("<artifactId>domain-widgets</artifactId>");
        assertThat(Files.readString(root.resolve("domain-widgets/pom.xml"))).contains("<artifactId>domain-widgets</artifactId>");
        assertThat(root.resolve("domain-widgets/src/main/java/dev/mesh/widgets/WidgetsDomain.java")).exists();
        assertThat(root.resolve("domain-widgets/micronaut-cli.yml")).as("a Micronaut module: its beans are found").exists();
        String compose = Files.readString(root.resolve("docker-compose.yml"));
        assertThat(compose).contains("MESH_DOMAIN: widgets", "ports: [\"8205:8105\"]", "  widgets-2-state:\n",
                "MESH_DOMAIN: sales");

        CliRun again = CliRun.of(List.of("new", "domain", "widgets", "--title", "W", "--owner", "w", "--contact", "w@x",
                "--root", root.toString()));
        assertThat(again.exit()).isNotZero();
        assertThat(again.err()).contains("domain widgets exists already");
        CliRun taken = CliRun.of(List.of("new", "domain", "gadgets", "--title", "G", "--owner", "g", "--contact", "g@x",
                "--port", "8101", "--root", root.toString()));
        assertThat(taken.err()).contains("port 8101 is domain sales's");
        CliRun noTitle = CliRun.of(List.of("new", "domain", "gadgets", "--title", " ", "--owner", "g", "--contact", "g@x",
                "--root", root.toString()));
        assertThat(noTitle.err()).contains("domain.yaml", "title", "is required but empty");
        assertThat(root.resolve("schemas/products/gadgets")).as("a refused domain leaves nothing behind").doesNotExist();
        assertThat(root.resolve("domain-gadgets")).doesNotExist();
        assertThat(Files.readString(root.resolve("pom.xml"))).doesNotContain("domain-gadgets");
        CliRun lowPort = CliRun.of(List.of("new", "domain", "gadgets", "--title", "G", "--owner", "g", "--contact", "g@x",
                "--port", "80", "--root", root.toString()));
        assertThat(lowPort.err()).contains("--port 80 is not a port from 1024 to 65535");
        assertThat(root.resolve("schemas/products/gadgets")).doesNotExist();
        CliRun badName = CliRun.of(List.of("new", "domain", "Gadget-Works", "--title", "G", "--owner", "g", "--contact", "g@x",
                "--root", root.toString()));
        assertThat(badName.err()).contains("'Gadget-Works' is not a domain name");
    }

    @Test
    void aDomainFileNamesWhatIsWrongAndWhere(@TempDir Path root) throws IOException {
        Path file = root.resolve("gadgets/domain.yaml");
        Files.createDirectories(file.getParent());
        Files.writeString(file, "domain: widgets\ntitle: Gadgets\nowner: {team: g}\nport: 80\nflavour: x\n");
        assertThatThrownBy(() -> ContractLoader.loadDomain(file)).isInstanceOf(ContractException.class)
                .hasMessageContaining("domain.yaml:1").hasMessageContaining("but the folder is 'gadgets'")
                .hasMessageContaining("description").hasMessageContaining("owner.contact")
                .hasMessageContaining("domain.yaml:4").hasMessageContaining("'80' is not a port")
                .hasMessageContaining("flavour");
    }

    /** Two domains on one port would collide in compose and in mesh up: the build and the runtime refuse the second. */
    @Test
    void twoDomainsOnOnePortAreRefusedNamingTheSecond() {
        var owner = new dev.mesh.sdk.contract.ProductContract.Owner("t", "t@x");
        var problems = Domains.portClashes(List.of(new DomainDescriptor("widgets", "W", "w", owner, 8200),
                new DomainDescriptor("gadgets", "G", "g", owner, 8200), new DomainDescriptor("tools", "T", "t", owner, 8201)),
                name -> name + "/domain.yaml");
        assertThat(problems).singleElement().satisfies(p -> {
            assertThat(p.file()).isEqualTo("widgets/domain.yaml");
            assertThat(p.message()).isEqualTo("port 8200 is domain gadgets's already");
        });
    }

    /** A port for a domain that does not exist is a typo, not a setting to ignore: mesh up refuses it before starting. */
    @Test
    void aDomainPortForNoDomainIsRefused() {
        CliRun up = CliRun.of(List.of("up", "--domain-port", "salse=9101", "--data-dir", "target/never-started"));
        assertThat(up.exit()).isEqualTo(2);
        assertThat(up.err()).contains("--domain-port salse=...: there is no domain salse; the domains are [finance, marketing, productdev, sales]");
    }

    private static void copy(Path from, Path to, String... files) throws IOException {
        for (String f : files) {
            Files.createDirectories(to.resolve(f).getParent());
            Files.copy(from.resolve(f), to.resolve(f));
        }
    }
}
