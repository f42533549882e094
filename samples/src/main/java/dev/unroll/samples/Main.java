package dev.unroll.samples;

import dev.unroll.samples.bench.BenchCommand;
import dev.unroll.samples.programs.AdditionCommand;
import dev.unroll.samples.programs.CaptionCommand;
import dev.unroll.samples.programs.CharLstmCommand;
import dev.unroll.samples.programs.ClassifyCommand;
import dev.unroll.samples.programs.CustomCellCommand;
import dev.unroll.samples.programs.GradientFlowCommand;
import dev.unroll.samples.programs.GraphCommand;
import dev.unroll.samples.programs.HelloCommand;
import dev.unroll.samples.programs.MinCharRnnCommand;
import dev.unroll.samples.programs.SampleCommand;
import dev.unroll.samples.programs.Seq2SeqCommand;
import dev.unroll.samples.programs.WordLmCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * The samples program: one executable, one subcommand per classic experiment, plus the benchmark.
 * An error prints its message (the stack trace only with {@code --verbose}) and exits with 1.
 */
@Command(name = "unroll", mixinStandardHelpOptions = true, version = "unroll samples 0.1.0",
        description = "Classic recurrent-network experiments on Unroll.",
        subcommands = {HelloCommand.class, MinCharRnnCommand.class, CharLstmCommand.class, SampleCommand.class,
            GradientFlowCommand.class, GraphCommand.class, ClassifyCommand.class, Seq2SeqCommand.class, AdditionCommand.class,
            CaptionCommand.class, CustomCellCommand.class, WordLmCommand.class,
            BenchCommand.class})
public final class Main implements Runnable {

    /** Whether an error prints its stack trace. */
    @Option(names = "--verbose", scope = ScopeType.INHERIT, description = "print the stack trace of an error")
    boolean verbose;

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    /**
     * @return the command line of the program, with its error handling
     */
    public static CommandLine commandLine() {
        return new CommandLine(new Main()).setExecutionExceptionHandler((e, command, parsed) -> {
            command.getErr().println("error: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
            if (verbose(parsed)) {
                e.printStackTrace(command.getErr());
            } else {
                command.getErr().println("(--verbose prints the stack trace)");
            }
            command.getErr().flush();
            return 1;
        });
    }

    private static boolean verbose(CommandLine.ParseResult parsed) {
        for (CommandLine.ParseResult p = parsed; p != null; p = p.subcommand()) {
            if (p.hasMatchedOption("--verbose")) {
                return true;
            }
        }
        return false;
    }

    /**
     * Runs a subcommand, e.g. {@code char-lstm --seed 3}.
     *
     * @param args the command line
     */
    public static void main(String[] args) {
        System.setProperty("java.awt.headless", "true");
        System.exit(commandLine().execute(args));
    }
}
