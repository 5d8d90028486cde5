package dev.runbook.cli;

import dev.runbook.engine.Refused;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "graph",
    description = "Print a runbook's step graph as Mermaid or Graphviz, or render it as SVG.")
final class GraphCommand extends BaseCommand {

  /** The graph formats. */
  enum GraphFormat {
    MERMAID,
    DOT,
    SVG
  }

  @Parameters(index = "0", paramLabel = "ALARM_OR_ID", description = "An alarm id or runbook id.")
  String name;

  @Option(
      names = "--format",
      paramLabel = "mermaid|dot|svg",
      description = "Output format (default: mermaid). svg needs Graphviz's dot.")
  GraphFormat format = GraphFormat.MERMAID;

  @Option(
      names = {"-o", "--out"},
      paramLabel = "FILE",
      description = "Write to FILE instead of standard output.")
  Path outFile;

  @Override
  public Integer call() throws IOException, InterruptedException, Refused {
    String text =
        switch (format) {
          case MERMAID -> session().engine().graph(name, "mermaid");
          case DOT -> session().engine().graph(name, "dot");
          case SVG -> renderSvg(session().engine().graph(name, "dot"));
        };
    if (outFile != null) {
      try {
        Files.writeString(outFile, text, StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new UserException(
            ExitCodes.USAGE,
            "cannot write " + outFile + ": " + LocalMessages.reason(e) + " (-o names the file)");
      }
      err().println("wrote " + outFile);
    } else {
      out().print(text);
      out().flush();
    }
    return ExitCodes.OK;
  }

  private String renderSvg(String dot) throws IOException, InterruptedException {
    Process process;
    try {
      process = new ProcessBuilder("dot", "-Tsvg").redirectErrorStream(false).start();
    } catch (IOException e) {
      throw new UserException(
          ExitCodes.USAGE,
          "--format svg needs Graphviz's 'dot', which is not installed (Debian: apt-get install graphviz);"
              + " or use --format dot and render the file elsewhere");
    }
    process.getOutputStream().write(dot.getBytes(StandardCharsets.UTF_8));
    process.getOutputStream().close();
    byte[] svg = process.getInputStream().readAllBytes();
    String errors = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
      process.destroyForcibly();
      throw new UserException(ExitCodes.INTERNAL, "dot failed: " + errors.strip());
    }
    return new String(svg, StandardCharsets.UTF_8);
  }
}
