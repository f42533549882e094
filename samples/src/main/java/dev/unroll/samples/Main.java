package dev.unroll.samples;

import dev.unroll.samples.bench.BenchCommand;
import dev.unroll.samples.programs.CaptionCommand;
import dev.unroll.samples.programs.CharLstmCommand;
import dev.unroll.samples.programs.ClassifyCommand;
import dev.unroll.samples.programs.CustomCellCommand;
import dev.unroll.samples.programs.GradientFlowCommand;
import dev.unroll.samples.programs.HelloCommand;
import dev.unroll.samples.programs.MinCharRnnCommand;
import dev.unroll.samples.programs.SampleCommand;
import dev.unroll.samples.programs.Seq2SeqCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The samples program: one executable, one subcommand per classic experiment, plus the benchmark. */
@Command(name = "unroll", mixinStandardHelpOptions = true, version = "unroll samples 0.1.0",
        description = "Classic recurrent-network experiments on Unroll.",
        subcommands = {HelloCommand.class, MinCharRnnCommand.class, CharLstmCommand.class, SampleCommand.class,
            GradientFlowCommand.class, ClassifyCommand.class, Seq2SeqCommand.class, CaptionCommand.class,
            CustomCellCommand.class,
            BenchCommand.class})
public final class Main implements Runnable {

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    /**
     * Runs a subcommand, e.g. {@code char-lstm --seed 3}.
     *
     * @param args the command line
     */
    public static void main(String[] args) {
        System.setProperty("java.awt.headless", "true");
        System.exit(new CommandLine(new Main()).execute(args));
    }
}
