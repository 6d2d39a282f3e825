package dev.mesh.sdk.contract.loader;

import dev.mesh.sdk.contract.ContractException;
import dev.mesh.sdk.contract.ProductContract.Owner;
import dev.mesh.sdk.contract.loader.YamlMap.Scalar;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;

import java.io.StringReader;
import java.util.List;
import java.util.Optional;

/** What every YAML file of the mesh (a contract, a domain.yaml) reads the same way: its top mapping and an owner. */
final class YamlDocument {
    private static final List<String> OWNER = List.of("team", "contact");

    private YamlDocument() {
    }

    /**
     * The file's top mapping; not YAML, empty or another shape is a problem of {@code origin} with its line.
     *
     * @param kind   what the file is, e.g. "contract"
     * @param fields its first fields, for the message when it is not a mapping
     */
    static MappingNode root(String origin, String yaml, String kind, String fields) {
        Node root;
        try {
            root = new Yaml().compose(new StringReader(yaml));
        } catch (MarkedYAMLException e) {
            int line = e.getProblemMark() == null ? 0 : e.getProblemMark().getLine() + 1;
            String context = e.getContext() == null || e.getContextMark() == null ? ""
                    : " (" + e.getContext() + " that starts on line " + (e.getContextMark().getLine() + 1) + ")";
            throw new ContractException(new ContractException.Problem(origin, line, "", "not valid YAML: " + e.getProblem() + context));
        } catch (YAMLException e) {
            throw new ContractException(new ContractException.Problem(origin, 0, "", "not valid YAML: " + e.getMessage()));
        }
        if (root == null) {
            throw new ContractException(new ContractException.Problem(origin, 0, "", "the " + kind + " is empty"));
        }
        if (!(root instanceof MappingNode mapping)) {
            throw new ContractException(new ContractException.Problem(origin, Problems.line(root), "",
                    "a " + kind + " is a mapping of fields (" + fields + "), not a " + YamlMap.shape(root)));
        }
        return mapping;
    }

    /** The required {@code owner: {team, contact}}; what is wrong in it is reported to the map's problems. */
    static Optional<Owner> owner(YamlMap top) {
        return top.requiredMap("owner").flatMap(owner -> {
            owner.rejectUnknownKeys(OWNER);
            Optional<Scalar> team = owner.requiredText("team");
            Optional<Scalar> contact = owner.requiredText("contact");
            if (team.isEmpty() || contact.isEmpty()) {
                return Optional.empty();
            }
            return Optional.of(new Owner(team.get().value(), contact.get().value()));
        });
    }
}
