package dev.runbook.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine;

/**
 * The usage texts of every command, rendered by picocli when the CLI is built and kept as
 * resources, so {@code runbook --help} and {@code runbook run --help} print without building
 * picocli's whole command model by reflection (two thirds of their start-up). {@code HelpTextsTest}
 * fails when a resource differs from what picocli renders now.
 */
public final class HelpTexts {

  private static final String DIR = "dev/runbook/cli/help/";

  private HelpTexts() {}

  /**
   * The help text {@code args} ask for, when they are only command names followed by {@code --help}
   * or {@code -h}, or nothing at all; empty for anything else, which picocli handles.
   */
  static Optional<String> forArguments(String[] args, boolean ansi) {
    if (args.length == 0) {
      return read(resource(List.of("runbook"), ansi)); // the bare command prints its usage too
    }
    if (args[0].equals("help") && (args.length == 1 || !isHelpOption(args[1]))) {
      // runbook help audit verify = runbook audit verify --help
      String[] asked = Arrays.copyOf(args, args.length);
      System.arraycopy(args, 1, asked, 0, args.length - 1);
      asked[args.length - 1] = "--help";
      return args.length == 1
          ? read(resource(List.of("runbook"), ansi))
          : forArguments(asked, ansi);
    }
    if (!isHelpOption(args[args.length - 1])) {
      return Optional.empty();
    }
    List<String> path = new ArrayList<>(List.of("runbook"));
    for (int i = 0; i < args.length - 1; i++) {
      if (args[i].startsWith("-")) {
        return Optional.empty();
      }
      path.add(args[i]);
    }
    return read(resource(path, ansi));
  }

  /** Prints the help {@code args} ask for; false when they ask for something else. */
  static boolean print(String[] args, PrintStream out) {
    boolean ansi;
    try {
      ansi = CommandLine.Help.Ansi.AUTO.enabled();
    } catch (RuntimeException e) {
      return false;
    }
    Optional<String> text = forArguments(args, ansi);
    text.ifPresent(
        t -> {
          out.print(t);
          out.flush();
        });
    return text.isPresent();
  }

  private static boolean isHelpOption(String arg) {
    return arg.equals("--help") || arg.equals("-h");
  }

  static String resource(List<String> path, boolean ansi) {
    return DIR + String.join("-", path) + (ansi ? ".ansi" : "") + ".txt";
  }

  private static Optional<String> read(String resource) {
    try (InputStream in = HelpTexts.class.getClassLoader().getResourceAsStream(resource)) {
      return in == null
          ? Optional.empty()
          : Optional.of(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /** What picocli prints for {@code --help} of this command, with or without colours. */
  static String render(CommandLine command, boolean ansi) {
    return command.getUsageMessage(ansi ? CommandLine.Help.Ansi.ON : CommandLine.Help.Ansi.OFF);
  }

  /** Every command with its path of names, the root first; aliases are left out. */
  static void walk(CommandLine command, List<String> path, List<Named> into) {
    into.add(new Named(List.copyOf(path), command));
    List<CommandLine> seen = new ArrayList<>();
    command
        .getSubcommands()
        .forEach(
            (name, sub) -> {
              if (seen.stream().noneMatch(s -> s == sub) && name.equals(sub.getCommandName())) {
                seen.add(sub);
                List<String> subPath = new ArrayList<>(path);
                subPath.add(name);
                walk(sub, subPath, into);
              }
            });
  }

  record Named(List<String> path, CommandLine command) {}

  /** Writes every command's help texts under {@code args[0]} (the build's classes directory). */
  public static void main(String[] args) throws IOException {
    Path classes = Path.of(args[0]);
    List<Named> commands = new ArrayList<>();
    walk(Main.commandLine(), List.of("runbook"), commands);
    for (Named named : commands) {
      for (boolean ansi : new boolean[] {false, true}) {
        Path file = classes.resolve(resource(named.path(), ansi));
        Files.createDirectories(file.getParent());
        Files.writeString(file, render(named.command(), ansi));
      }
    }
  }
}
