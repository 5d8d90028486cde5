package dev.runbook.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import picocli.CommandLine;

/** Runs the CLI in-process and captures what it prints. */
record Cli(int exitCode, String out, String err) {

  /** The repository's runbook library, from the module directory Maven runs tests in. */
  static final Path LIBRARY = Path.of("../../runbooks").toAbsolutePath().normalize();

  static Cli run(String... args) {
    return CliRun.bare().library().with(args).inProcess();
  }

  static Cli runRaw(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = Main.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    int code = cli.execute(args);
    return new Cli(code, out.toString(), err.toString());
  }
}
