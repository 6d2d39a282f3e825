package dev.mesh.sdk.codegen;

import dev.mesh.sdk.contract.ContractException;
import dev.mesh.sdk.contract.ProductContract;
import dev.mesh.sdk.contract.loader.ContractLoader;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Writes the typed product handles of a schemas module from its product folders
 * ({@code products/<domain>/<name>/v<major>/contract.yaml}): per domain a class {@code <Domain>Products} with one
 * {@code Product<Record>} constant per product, and {@code Products}, the module's {@link dev.mesh.sdk.ProductIndex}.
 * It loads every contract on the way, so a broken contract, or a folder that does not match its contract's
 * product and major, fails the build naming the file. Run by the schemas module's build:
 * {@code ProductHandles <products dir> <output source dir> <package>}.
 */
public final class ProductHandles {
    private ProductHandles() {
    }

    public static void main(String[] args) {
        if (args.length != 3) {
            throw new IllegalArgumentException("usage: ProductHandles <products dir> <output source dir> <package>");
        }
        write(Path.of(args[0]), Path.of(args[1]), args[2]);
    }

    /** A product folder and its loaded contract. */
    public record Folder(Path path, String resource, ProductContract contract) {
    }

    /** Every product folder under {@code products}, its contract loaded and checked against the folder's name. */
    public static List<Folder> folders(Path products) {
        List<Folder> folders = new ArrayList<>();
        List<ContractException.Problem> problems = new ArrayList<>();
        try (Stream<Path> files = Files.walk(products)) {
            for (Path contractFile : files.filter(f -> f.getFileName().toString().equals("contract.yaml")).sorted().toList()) {
                Path rel = products.relativize(contractFile);
                if (rel.getNameCount() != 4) {
                    problems.add(new ContractException.Problem(contractFile.toString(), 0, "",
                            "a contract lives in products/<domain>/<name>/v<major>/contract.yaml"));
                    continue;
                }
                ProductContract c;
                try {
                    c = ContractLoader.load(contractFile);
                } catch (ContractException e) {
                    problems.addAll(e.problems());
                    continue;
                }
                String expected = c.product().domain() + "/" + c.product().name() + "/v" + c.major();
                String actual = rel.getParent().toString().replace('\\', '/');
                if (!expected.equals(actual)) {
                    problems.add(new ContractException.Problem(contractFile.toString(), 1, "product",
                            "the folder is products/" + actual + " but the contract says " + c.product() + " version "
                                    + c.version() + "; it belongs in products/" + expected));
                    continue;
                }
                folders.add(new Folder(contractFile.getParent(), "/products/" + actual + "/contract.yaml", c));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (!problems.isEmpty()) {
            throw new ContractException(problems);
        }
        return folders;
    }

    /** Every domain with products has a valid domain.yaml, and no two want one port: the build fails naming the file. */
    static void requireDomainFiles(Path products, java.util.Set<String> domains) {
        List<ContractException.Problem> problems = new ArrayList<>();
        List<dev.mesh.sdk.contract.DomainDescriptor> found = new ArrayList<>();
        for (String domain : domains) {
            try {
                found.add(ContractLoader.loadDomain(products.resolve(domain).resolve("domain.yaml")));
            } catch (ContractException e) {
                problems.addAll(e.problems());
            }
        }
        problems.addAll(dev.mesh.sdk.Domains.portClashes(found, name -> products.resolve(name).resolve("domain.yaml").toString()));
        if (!problems.isEmpty()) {
            throw new ContractException(problems);
        }
    }

    static void write(Path products, Path out, String pkg) {
        List<Folder> folders = folders(products);
        dev.mesh.sdk.policy.Lint.requireNoErrors(products);
        Map<String, List<Folder>> byDomain = new TreeMap<>();
        folders.forEach(f -> byDomain.computeIfAbsent(f.contract().product().domain(), d -> new ArrayList<>()).add(f));
        requireDomainFiles(products, byDomain.keySet());
        Path dir = out.resolve(pkg.replace('.', '/'));
        try {
            Files.createDirectories(dir);
            List<String> all = new ArrayList<>();
            for (var domain : byDomain.entrySet()) {
                String cls = className(domain.getKey()) + "Products";
                StringBuilder src = new StringBuilder("package " + pkg + ";\n\nimport dev.mesh.sdk.Product;\n\n"
                        + "/** The " + domain.getKey() + " domain's data products. Generated from products/"
                        + domain.getKey() + "/ by the schemas build: do not edit. */\n"
                        + "public final class " + cls + " {\n");
                for (Folder f : domain.getValue()) {
                    ProductContract c = f.contract();
                    String constant = constantName(c);
                    src.append("    /** ").append(c.product()).append(" v").append(c.major()).append(": ")
                            .append(javadoc(c.description())).append(" */\n")
                            .append("    public static final Product<").append(c.schema().getFullName()).append("> ")
                            .append(constant).append(" = Product.of(\"").append(f.resource()).append("\", ")
                            .append(c.schema().getFullName()).append(".class);\n\n");
                    all.add(cls + "." + constant);
                }
                src.append("    private ").append(cls).append("() {\n    }\n}\n");
                writeIfChanged(dir.resolve(cls + ".java"), src.toString());
            }
            String index = "package " + pkg + ";\n\nimport dev.mesh.sdk.Product;\nimport dev.mesh.sdk.ProductIndex;\n\n"
                    + "import java.util.List;\n\n"
                    + "/** Every product of this module, for {@link Product#all()}. Generated by the schemas build: do not edit. */\n"
                    + "public final class Products implements ProductIndex {\n"
                    + "    public static final List<Product<?>> ALL = List.of(\n            "
                    + String.join(",\n            ", all) + ");\n\n"
                    + "    @Override\n    public List<Product<?>> products() {\n        return ALL;\n    }\n}\n";
            writeIfChanged(dir.resolve("Products.java"), index);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** sales.orders v1 → ORDERS; v2 → ORDERS_V2. */
    public static String constantName(ProductContract c) {
        String name = c.product().name().toUpperCase(Locale.ROOT).replace('-', '_');
        return c.major() == 1 ? name : name + "_V" + c.major();
    }

    /** customer-care → CustomerCare. */
    public static String className(String kebab) {
        StringBuilder b = new StringBuilder();
        for (String part : kebab.split("-")) {
            if (!part.isEmpty()) {
                b.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
            }
        }
        return b.toString();
    }

    private static String javadoc(String text) {
        return text == null ? "" : text.replace("*/", "*&#47;").replace("\n", " ").trim();
    }

    /** Keeps the file's timestamp when nothing changed, so an unchanged build recompiles nothing. */
    private static void writeIfChanged(Path file, String content) throws IOException {
        if (!Files.exists(file) || !Files.readString(file).equals(content)) {
            Files.writeString(file, content);
        }
    }
}
