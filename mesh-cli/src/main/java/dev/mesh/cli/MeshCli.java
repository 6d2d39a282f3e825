package dev.mesh.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code mesh}: run the mesh on one machine, and inspect any mesh's products from the command line. */
@Command(name = "mesh", mixinStandardHelpOptions = true, version = MeshCli.VERSION,
        description = "Data products on Apache Kafka: run the mesh, and inspect its products.")
public final class MeshCli implements Runnable {
    static final String VERSION = "mesh 0.1.0";
    /** The subcommands by name, in the order help lists them. */
    private static final Map<String, Class<?>> COMMANDS = commands(UpCommand.class, NewCommand.class, LintCommand.class,
            ImpactCommand.class, ContractCommand.class, PlanCommand.class, ApplyCommand.class, AccessCommand.class, AuditCommand.class, ProductsCommand.class,
            DescribeCommand.class, SchemaCommand.class, TailCommand.class, LagCommand.class, DlqCommand.class,
            LineageCommand.class, SqlCommand.class, SloCommand.class, UsageCommand.class, CommandLine.HelpCommand.class);

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        if (args.length == 1 && (args[0].equals("--version") || args[0].equals("-V"))) {
            // what picocli prints for it, without building a command line first: scripts ask this often
            System.out.println(VERSION);
            System.exit(0);
        }
        System.exit(commandLine(args).execute(args));
    }

    /** The whole command line, every subcommand built. */
    public static CommandLine commandLine() {
        return withErrorHandling(build(COMMANDS.values()));
    }

    /**
     * The command line as {@code args} need it: only the subcommand they name, none for {@code --version}, all for
     * anything else (help, a typo). Building every subcommand's model by reflection was most of a simple command's
     * start-up.
     */
    public static CommandLine commandLine(String... args) {
        String first = args.length == 0 ? "" : args[0];
        Collection<Class<?>> needed = args.length == 1 && (first.equals("--version") || first.equals("-V")) ? List.of()
                : COMMANDS.containsKey(first) && !first.equals("help") ? List.of(COMMANDS.get(first))
                : COMMANDS.values();
        return withErrorHandling(build(needed));
    }

    private static CommandLine build(Collection<Class<?>> subcommands) {
        CommandLine cli = new CommandLine(new MeshCli());
        subcommands.forEach(cli::addSubcommand);
        return cli;
    }

    private static Map<String, Class<?>> commands(Class<?>... classes) {
        Map<String, Class<?>> byName = new LinkedHashMap<>();
        for (Class<?> c : classes) {
            byName.put(c.getAnnotation(Command.class).name(), c);
        }
        return byName;
    }

    /** The mesh's error handling: a failure is one clear line and exit code 1. */
    private static CommandLine withErrorHandling(CommandLine cli) {
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
