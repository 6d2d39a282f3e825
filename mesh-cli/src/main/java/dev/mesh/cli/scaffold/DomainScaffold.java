package dev.mesh.cli.scaffold;

import dev.mesh.sdk.codegen.ProductHandles;
import dev.mesh.sdk.contract.DomainDescriptor;
import dev.mesh.sdk.contract.ProductContract;
import dev.mesh.sdk.contract.loader.ContractLoader;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * A new domain: its folder ({@code domain.yaml}), its module ({@code domain-<name>}, for its derivations, lookups
 * and generators), the lines that put the module in the build and on the mesh's classpath, and its services in
 * docker-compose.yml. Nothing of the platform changes: the runtime, {@code mesh up}, the credentials and the ACLs
 * find the domain from its folder.
 */
public final class DomainScaffold {
    static final String COMPOSE_SERVICES_BEGIN = "  # domains: written from the product folders by `mesh new domain` (ComposeFileTest checks them)\n";
    static final String COMPOSE_SERVICES_END = "  # end of domains\n";
    static final String COMPOSE_VOLUMES_BEGIN = "  # domains' state\n";
    static final String COMPOSE_VOLUMES_END = "  # end of domains' state\n";

    private DomainScaffold() {
    }

    public record Request(Path root, String name, String title, String description, String team, String contact, int port) {
    }

    /** Writes the domain and returns the files written or changed. */
    public static List<Path> write(Request r) {
        Path products = r.root().resolve("schemas").resolve("products");
        Path folder = products.resolve(r.name());
        Path module = r.root().resolve("domain-" + r.name());
        if (!r.name().matches(DomainDescriptor.NAME)) {
            throw new IllegalArgumentException("'" + r.name() + "' is not a domain name: lower-case letters and digits, starting with a letter");
        }
        if (r.port() < 1024 || r.port() > 65535) {
            throw new IllegalArgumentException("--port " + r.port() + " is not a port from 1024 to 65535");
        }
        if (Files.exists(folder.resolve("domain.yaml")) || Files.exists(module)) {
            throw new IllegalArgumentException("domain " + r.name() + " exists already (" + folder + ", " + module + ")");
        }
        List<DomainDescriptor> existing = domains(products);
        existing.stream().filter(d -> d.port() == r.port()).findFirst().ifPresent(d -> {
            throw new IllegalArgumentException("port " + r.port() + " is domain " + d.name() + "'s; give another with --port");
        });
        try {
            // every edit is made in memory first: a checkout it does not fit is refused with nothing written
            Path rootPom = r.root().resolve("pom.xml");
            Path domainsPom = r.root().resolve("domains/pom.xml");
            Path compose = r.root().resolve("docker-compose.yml");
            String rootPomText = insertedBefore(rootPom, "    <module>domains</module>\n", "    <module>domain-" + r.name() + "</module>\n");
            String domainsPomText = insertedBefore(domainsPom, "  </dependencies>\n", "    <dependency><groupId>dev.mesh</groupId>"
                    + "<artifactId>domain-" + r.name() + "</artifactId><version>${project.version}</version></dependency>\n");
            DomainDescriptor added = new DomainDescriptor(r.name(), r.title(), r.description(), new ProductContract.Owner(r.team(), r.contact()), r.port());
            String composeText = compose(Files.readString(compose), java.util.stream.Stream.concat(existing.stream(), Stream.of(added))
                    .sorted(java.util.Comparator.comparing(DomainDescriptor::name)).toList());

            List<Path> written = new ArrayList<>();
            Files.createDirectories(folder);
            Path descriptor = folder.resolve("domain.yaml");
            Files.writeString(descriptor, "# the " + r.name() + " domain: its principal, service, ACLs and compose entry follow from this folder\n"
                    + "domain: " + r.name() + "\ntitle: " + yaml(r.title()) + "\ndescription: " + yaml(r.description())
                    + "\nowner: {team: " + yaml(r.team()) + ", contact: " + yaml(r.contact()) + "}\nport: " + r.port() + "\n");
            try {
                ContractLoader.loadDomain(descriptor);
            } catch (RuntimeException e) {
                Files.delete(descriptor);
                try (Stream<Path> left = Files.list(folder)) {
                    if (left.findAny().isEmpty()) {
                        Files.delete(folder);
                    }
                }
                throw e;
            }
            written.add(descriptor);

            String pkg = "dev.mesh." + r.name();
            Path sources = module.resolve("src/main/java/" + pkg.replace('.', '/'));
            Files.createDirectories(sources);
            Files.createDirectories(module.resolve("src/test/java/" + pkg.replace('.', '/')));
            Files.writeString(module.resolve("pom.xml"), pom(r));
            written.add(module.resolve("pom.xml"));
            // the parent build gives a module with this file Micronaut's processors: its derivations become beans
            Files.writeString(module.resolve("micronaut-cli.yml"), "applicationType: default\ndefaultPackage: dev.mesh\n"
                    + "testFramework: junit\nsourceLanguage: java\nbuildTool: maven\n"
                    + "features: [http-server-netty, management, serialization-jackson]\n");
            written.add(module.resolve("micronaut-cli.yml"));
            String cls = ProductHandles.className(r.name()) + "Domain";
            Files.writeString(sources.resolve(cls + ".java"), "package " + pkg + ";\n\n"
                    + "/** The " + r.name() + " domain (products/" + r.name() + "/domain.yaml), which {@link dev.mesh.service.DomainService} runs. */\n"
                    + "public final class " + cls + " {\n"
                    + "    /** Its name: the Micronaut environment this domain's beans require ({@code @Requires(env = " + cls + ".ENV)}). */\n"
                    + "    public static final String ENV = \"" + r.name() + "\";\n\n"
                    + "    private " + cls + "() {\n    }\n}\n");
            written.add(sources.resolve(cls + ".java"));

            Files.writeString(rootPom, rootPomText);
            Files.writeString(domainsPom, domainsPomText);
            Files.writeString(compose, composeText);
            written.addAll(List.of(rootPom, domainsPom, compose));
            return written;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The first port after every domain's. */
    public static int nextPort(Path root) {
        return domains(root.resolve("schemas").resolve("products")).stream().mapToInt(DomainDescriptor::port).max().orElse(8100) + 1;
    }

    /** Every domain folder's descriptor under {@code products}, by name. */
    public static List<DomainDescriptor> domains(Path products) {
        try (Stream<Path> folders = Files.list(products)) {
            return folders.filter(f -> Files.isRegularFile(f.resolve("domain.yaml"))).sorted()
                    .map(f -> ContractLoader.loadDomain(f.resolve("domain.yaml"))).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code compose} with its domains' services and volumes written for {@code domains}. */
    public static String compose(String compose, List<DomainDescriptor> domains) {
        StringBuilder services = new StringBuilder();
        StringBuilder volumes = new StringBuilder();
        for (DomainDescriptor d : domains) {
            String n = d.name();
            int p = d.port();
            services.append("""
                      %1$s: &%1$s
                        <<: *service
                        hostname: %1$s
                        ports: ["%2$d:%2$d"]
                        environment: &%1$s-env
                          <<: *env
                          MAIN_CLASS: dev.mesh.service.DomainService
                          MESH_DOMAIN: %1$s
                          MICRONAUT_CONFIG_FILES: /credentials/%1$s.micronaut.properties
                          # how the other instance reaches this one for the keys it holds
                          MESH_ADVERTISED_URL: http://%1$s:%2$d
                          MESH_STREAMS_STATE_DIR: /var/lib/mesh/streams
                        volumes: [credentials:/credentials:ro, %1$s-state:/var/lib/mesh/streams]

                      %1$s-2:
                        <<: *%1$s
                        hostname: %1$s-2
                        ports: ["%3$d:%2$d"]
                        environment: {<<: *%1$s-env, MESH_ADVERTISED_URL: "http://%1$s-2:%2$d"}
                        volumes: [credentials:/credentials:ro, %1$s-2-state:/var/lib/mesh/streams]

                    """.formatted(n, p, p + 100));
            volumes.append("  ").append(n).append("-state:\n  ").append(n).append("-2-state:\n");
        }
        String out = replaceRegion(compose, COMPOSE_SERVICES_BEGIN, COMPOSE_SERVICES_END, services.toString());
        return replaceRegion(out, COMPOSE_VOLUMES_BEGIN, COMPOSE_VOLUMES_END, volumes.toString());
    }

    private static String replaceRegion(String text, String begin, String end, String body) {
        int from = text.indexOf(begin);
        int to = text.indexOf(end);
        if (from < 0 || to < from) {
            throw new IllegalArgumentException("docker-compose.yml has no region from '" + begin.strip() + "' to '" + end.strip() + "'");
        }
        return text.substring(0, from + begin.length()) + body + text.substring(to);
    }

    private static String insertedBefore(Path file, String anchor, String line) throws IOException {
        String text = Files.readString(file);
        int at = text.indexOf(anchor);
        if (at < 0) {
            throw new IllegalArgumentException(file + " has no '" + anchor.strip() + "' to add " + line.strip() + " before");
        }
        return text.substring(0, at) + line + text.substring(at);
    }

    private static String pom(Request r) {
        return """
                <?xml version="1.0" encoding="UTF-8"?>
                <project xmlns="http://maven.apache.org/POM/4.0.0"
                         xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
                         xsi:schemaLocation="http://maven.apache.org/POM/4.0.0 https://maven.apache.org/xsd/maven-4.0.0.xsd">
                  <modelVersion>4.0.0</modelVersion>
                  <parent>
                    <groupId>dev.mesh</groupId>
                    <artifactId>mesh-parent</artifactId>
                    <version>0.1.0-SNAPSHOT</version>
                  </parent>
                  <artifactId>domain-%1$s</artifactId>
                  <name>domain-%1$s</name>
                  <description>The %1$s domain's code: its derivations, lookups and generators (its products are in schemas/products/%1$s)</description>

                  <dependencies>
                    <dependency><groupId>dev.mesh</groupId><artifactId>schemas</artifactId></dependency>
                    <dependency><groupId>dev.mesh</groupId><artifactId>mesh-service</artifactId></dependency>
                    <dependency><groupId>ch.qos.logback</groupId><artifactId>logback-classic</artifactId><scope>runtime</scope></dependency>

                    <dependency><groupId>dev.mesh</groupId><artifactId>mesh-testkit</artifactId><scope>test</scope></dependency>
                    <dependency><groupId>org.apache.kafka</groupId><artifactId>kafka-streams-test-utils</artifactId><scope>test</scope></dependency>
                    <dependency><groupId>org.junit.jupiter</groupId><artifactId>junit-jupiter</artifactId><scope>test</scope></dependency>
                    <dependency><groupId>org.assertj</groupId><artifactId>assertj-core</artifactId><scope>test</scope></dependency>
                  </dependencies>
                </project>
                """.formatted(r.name());
    }

    private static String yaml(String text) {
        return text.matches("[A-Za-z0-9 .,@_()-]*") && !text.isBlank() ? text : "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
