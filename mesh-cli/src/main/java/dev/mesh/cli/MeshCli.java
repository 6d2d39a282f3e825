package dev.mesh.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code mesh}: run the mesh on one machine, and inspect any mesh's products from the command line. */
@Command(name = "mesh", mixinStandardHelpOptions = true, version = "mesh 0.1.0",
        description = "Data products on Apache Kafka: run the mesh, and inspect its products.",
        subcommands = {UpCommand.class, NewCommand.class, LintCommand.class, ImpactCommand.class, ContractCommand.class, AccessCommand.class, AuditCommand.class, ProductsCommand.class, DescribeCommand.class, SchemaCommand.class,
                TailCommand.class, LagCommand.class, DlqCommand.class, LineageCommand.class, SqlCommand.class, CommandLine.HelpCommand.class})
public final class MeshCli implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The command line with the mesh's error handling: a failure is one clear line and exit code 1. */
    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new MeshCli());
        cli.setExecutionExceptionHandler((e, command, parsed) -> {
            command.getErr().println(command.getColorScheme().errorText("mesh: " + message(e)));
            return 1;
        });
        return cli;
    }

    private static String message(Throwable e) {
        String m = e.getMessage();
        return m == null ? e.getClass().getSimpleName() : m;
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
