package dev.mesh.sdk.contract.loader;

import dev.mesh.sdk.contract.ContractException;
import dev.mesh.sdk.contract.ProductContract;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;

/**
 * Loads and validates product contracts: a YAML file beside the product's Avro schema. Loading checks
 * everything a publisher would trip over later (fields, formats, the schema, the key field, every quality rule
 * against the schema) and reports all problems of a file at once in a {@link ContractException}, each with the
 * file, line and field.
 */
public final class ContractLoader {
    private ContractLoader() {
    }

    /** Reads a sibling file of the contract (its schema) by the name the contract gives; empty when there is none. */
    @FunctionalInterface
    public interface SiblingReader {
        Optional<String> read(String name) throws IOException;
    }

    /** Loads a contract file; its schema file is resolved relative to the contract's folder. */
    public static ProductContract load(Path contractFile) {
        String origin = contractFile.toString();
        String yaml;
        try {
            yaml = Files.readString(contractFile, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new ContractException(new ContractException.Problem(origin, 0, "", "contract file not found"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read contract " + origin, e);
        }
        Path folder = contractFile.toAbsolutePath().getParent();
        return parse(origin, yaml, name -> {
            Path sibling = folder.resolve(name);
            return Files.isRegularFile(sibling) ? Optional.of(Files.readString(sibling, StandardCharsets.UTF_8)) : Optional.empty();
        });
    }

    /**
     * Loads a contract from the classpath, e.g. {@code /products/sales/orders/v1/contract.yaml}; its schema is
     * resolved beside it on the classpath.
     */
    public static ProductContract loadResource(String classpathPath) {
        String path = classpathPath.startsWith("/") ? classpathPath.substring(1) : classpathPath;
        Optional<String> yaml;
        try {
            yaml = readResource(path);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read contract " + path + " from the classpath", e);
        }
        if (yaml.isEmpty()) {
            throw new ContractException(new ContractException.Problem(path, 0, "", "contract not found on the classpath"));
        }
        String folder = path.contains("/") ? path.substring(0, path.lastIndexOf('/') + 1) : "";
        return parse(path, yaml.get(), name -> readResource(normalize(folder + name)));
    }

    /** Loads a domain's {@code domain.yaml}; the domain is named by the folder it is in. */
    public static dev.mesh.sdk.contract.DomainDescriptor loadDomain(Path domainFile) {
        String origin = domainFile.toString();
        try {
            String yaml = Files.readString(domainFile, StandardCharsets.UTF_8);
            return new DomainParser(origin, domainFile.toAbsolutePath().getParent().getFileName().toString()).parse(yaml);
        } catch (NoSuchFileException e) {
            throw new ContractException(new ContractException.Problem(origin, 0, "",
                    "a domain folder needs a domain.yaml (domain, title, description, owner, port): `mesh new domain` writes one"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + origin, e);
        }
    }

    /** Loads {@code products/<domain>/domain.yaml} from the classpath. */
    public static dev.mesh.sdk.contract.DomainDescriptor loadDomainResource(String domain) {
        String path = "products/" + domain + "/domain.yaml";
        Optional<String> yaml;
        try {
            yaml = readResource(path);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + path + " from the classpath", e);
        }
        if (yaml.isEmpty()) {
            throw new ContractException(new ContractException.Problem(path, 0, "",
                    "domain " + domain + " has products but no domain.yaml (domain, title, description, owner, port)"));
        }
        return new DomainParser(path, domain).parse(yaml.get());
    }

    /**
     * The core every other entry point goes through.
     *
     * @param origin   names the contract in messages (a file path or classpath resource)
     * @param siblings reads the files the contract names, such as its schema
     * @throws ContractException with every problem found
     */
    public static ProductContract parse(String origin, String yaml, SiblingReader siblings) {
        return new ContractParser(origin, siblings).parse(yaml);
    }

    private static Optional<String> readResource(String path) throws IOException {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        URL url = loader == null ? null : loader.getResource(path);
        if (url == null) {
            url = ContractLoader.class.getClassLoader().getResource(path);
        }
        if (url == null) {
            return Optional.empty();
        }
        try (InputStream in = url.openStream()) {
            return Optional.of(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    /** Resolves "." and ".." in a resource path, which class loaders do not. */
    private static String normalize(String resourcePath) {
        Deque<String> parts = new ArrayDeque<>();
        for (String part : resourcePath.split("/")) {
            if (part.equals("..")) {
                parts.pollLast();
            } else if (!part.isEmpty() && !part.equals(".")) {
                parts.addLast(part);
            }
        }
        return String.join("/", parts);
    }
}
