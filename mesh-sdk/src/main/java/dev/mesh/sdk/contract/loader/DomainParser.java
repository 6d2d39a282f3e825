package dev.mesh.sdk.contract.loader;

import dev.mesh.sdk.contract.ContractException;
import dev.mesh.sdk.contract.DomainDescriptor;
import dev.mesh.sdk.contract.ProductContract;
import dev.mesh.sdk.contract.loader.YamlMap.Scalar;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;

import java.io.StringReader;
import java.util.List;
import java.util.Optional;

/** Reads a {@code domain.yaml}, reporting every problem with its file and line as a contract's are. */
final class DomainParser {
    private static final List<String> KNOWN = List.of("domain", "title", "description", "owner", "port");
    private static final List<String> OWNER = List.of("team", "contact");

    private final String origin;
    private final String folderName;
    private final Problems problems;

    DomainParser(String origin, String folderName) {
        this.origin = origin;
        this.folderName = folderName;
        this.problems = new Problems(origin);
    }

    DomainDescriptor parse(String yaml) {
        YamlMap top = new YamlMap("", root(yaml), problems);
        top.rejectUnknownKeys(KNOWN);
        Optional<Scalar> name = top.requiredText("domain");
        name.filter(n -> !n.value().equals(folderName)).ifPresent(n -> problems.add(n.line(), n.field(),
                "is '" + n.value() + "' but the folder is '" + folderName + "': a domain is named by its folder"));
        name.filter(n -> !n.value().matches("[a-z][a-z0-9]*")).ifPresent(n -> problems.add(n.line(), n.field(),
                "'" + n.value() + "' is not a domain name: lower-case letters and digits, starting with a letter"
                        + " (it names a principal, a Micronaut environment and an SQL schema)"));
        Optional<Scalar> title = top.requiredText("title");
        Optional<Scalar> description = top.requiredText("description");
        Optional<ProductContract.Owner> owner = top.requiredMap("owner").flatMap(o -> {
            o.rejectUnknownKeys(OWNER);
            Optional<Scalar> team = o.requiredText("team");
            Optional<Scalar> contact = o.requiredText("contact");
            return team.isPresent() && contact.isPresent()
                    ? Optional.of(new ProductContract.Owner(team.get().value(), contact.get().value())) : Optional.empty();
        });
        Optional<Integer> port = top.requiredText("port").flatMap(p -> {
            try {
                int value = Integer.parseInt(p.value());
                if (value >= 1024 && value <= 65535) {
                    return Optional.of(value);
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            problems.add(p.line(), p.field(), "'" + p.value() + "' is not a port from 1024 to 65535");
            return Optional.empty();
        });
        problems.throwIfAny();
        return new DomainDescriptor(name.orElseThrow().value(), title.orElseThrow().value(), description.orElseThrow().value(),
                owner.orElseThrow(), port.orElseThrow());
    }

    private MappingNode root(String yaml) {
        Node root;
        try {
            root = new Yaml().compose(new StringReader(yaml));
        } catch (MarkedYAMLException e) {
            int line = e.getProblemMark() == null ? 0 : e.getProblemMark().getLine() + 1;
            throw new ContractException(new ContractException.Problem(origin, line, "", "not valid YAML: " + e.getProblem()));
        } catch (YAMLException e) {
            throw new ContractException(new ContractException.Problem(origin, 0, "", "not valid YAML: " + e.getMessage()));
        }
        if (!(root instanceof MappingNode mapping)) {
            throw new ContractException(new ContractException.Problem(origin, root == null ? 0 : Problems.line(root), "",
                    "a domain file is a mapping of fields (" + String.join(", ", KNOWN) + ")"));
        }
        return mapping;
    }
}
