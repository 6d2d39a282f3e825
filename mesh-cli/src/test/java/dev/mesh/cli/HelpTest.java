package dev.mesh.cli;

import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.assertj.core.api.Assertions.assertThat;

/** The help texts say all they have to say: the command list shows one whole line per command. */
class HelpTest {
    @Test
    void theCommandListAndUpsHelpAreWhole() {
        String list = help("--help");
        assertThat(list).contains("up        Run the whole mesh on this machine until Ctrl-C.",
                "new       Scaffold something new in the mesh.");
        String up = help("up", "--help").replaceAll("\\s+", " ");
        assertThat(up).contains("Runs Kafka, the Schema Registry, a service for every domain (each folder under schemas/products)"
                + " with its Streams apps and traffic generators, and the web catalog, in this JVM.",
                "With --bootstrap and --registry, runs only the services", "whose products `mesh apply` provisioned", "--domain-port=DOMAIN=PORT");
        assertThat(help("new", "domain", "--help").replaceAll("\\s+", " ")).contains("runs it once it has a product");
        assertThat(help("new", "product", "--help").replaceAll("\\s+", " ")).contains("Rebuild to get its typed handle.",
                "--inputs sales.returns,finance.order-settlements");
    }

    /**
     * The command lists show only a description's first line: each must be a whole sentence. And no help text may
     * break inside a version number (picocli wraps after a full stop).
     */
    @Test
    void everyCommandsFirstLineIsAWholeSentence() {
        java.util.List<String> cut = new java.util.ArrayList<>();
        collect(MeshCli.commandLine(), cut);
        assertThat(cut).as("descriptions whose first line stops mid-sentence").isEmpty();
        assertThat(help("contract", "--help")).as("ODCS's version on one line").contains("v3.1.0");
    }

    private static void collect(picocli.CommandLine cli, java.util.List<String> cut) {
        String[] description = cli.getCommandSpec().usageMessage().description();
        if (description.length > 0 && !description[0].strip().matches("(?s).*[.!?)]")) {
            cut.add(cli.getCommandSpec().qualifiedName() + ": " + description[0]);
        }
        cli.getSubcommands().values().stream().filter(sub -> !sub.getCommandName().equals("help"))
                .forEach(sub -> collect(sub, cut));
    }

    /** main answers --version before any command line is built: with exactly what picocli would print. */
    @Test
    void theVersionIsTheOnePicocliPrints() {
        assertThat(help("--version").strip()).isEqualTo(MeshCli.VERSION).startsWith("mesh ");
        assertThat(help("-V").strip()).isEqualTo(MeshCli.VERSION);
    }

    private static String help(String... args) {
        StringWriter out = new StringWriter();
        var cli = MeshCli.commandLine(args);
        cli.setOut(new PrintWriter(out));
        assertThat(cli.execute(args)).isZero();
        return out.toString();
    }
}
