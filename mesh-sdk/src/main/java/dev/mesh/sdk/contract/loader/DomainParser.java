package dev.mesh.sdk.contract.loader;

import dev.mesh.sdk.contract.DomainDescriptor;
import dev.mesh.sdk.contract.ProductContract;
import dev.mesh.sdk.contract.loader.YamlMap.Scalar;

import java.util.List;
import java.util.Optional;

/** Reads a {@code domain.yaml}, reporting every problem with its file and line as a contract's are. */
final class DomainParser {
    private static final List<String> KNOWN = List.of("domain", "title", "description", "owner", "port");

    private final String origin;
    private final String folderName;
    private final Problems problems;

    DomainParser(String origin, String folderName) {
        this.origin = origin;
        this.folderName = folderName;
        this.problems = new Problems(origin);
    }

    DomainDescriptor parse(String yaml) {
        YamlMap top = new YamlMap("", YamlDocument.root(origin, yaml, "domain file", String.join(", ", KNOWN)), problems);
        top.rejectUnknownKeys(KNOWN);
        Optional<Scalar> name = top.requiredText("domain");
        name.filter(n -> !n.value().equals(folderName)).ifPresent(n -> problems.add(n.line(), n.field(),
                "is '" + n.value() + "' but the folder is '" + folderName + "': a domain is named by its folder"));
        name.filter(n -> !n.value().matches(DomainDescriptor.NAME)).ifPresent(n -> problems.add(n.line(), n.field(),
                "'" + n.value() + "' is not a domain name: lower-case letters and digits, starting with a letter"
                        + " (it names a principal, a Micronaut environment and an SQL schema)"));
        Optional<Scalar> title = top.requiredText("title");
        Optional<Scalar> description = top.requiredText("description");
        Optional<ProductContract.Owner> owner = YamlDocument.owner(top);
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
}
