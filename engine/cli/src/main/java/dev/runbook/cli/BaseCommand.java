package dev.runbook.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** What every subcommand shares: the global options, the session, the output streams. */
abstract class BaseCommand implements Callable<Integer> {

  /** How results are written: for people, or for scripts. */
  enum Format {
    TEXT,
    JSON
  }

  /** The command this one is a subcommand of: the root, or {@code audit}. */
  @ParentCommand Object parent;

  @Spec CommandSpec spec;

  private Session session;

  RunbookCommand root() {
    return parent instanceof AuditCommand audit ? audit.root : (RunbookCommand) parent;
  }

  Session session() {
    if (session == null) {
      session = new Session(root());
    }
    return session;
  }

  private PrintWriter out;
  private PrintWriter err;

  /** Standard output; in ASCII where the locale cannot print the console's symbols. */
  PrintWriter out() {
    if (out == null) {
      out = console(spec.commandLine().getOut());
    }
    return out;
  }

  PrintWriter err() {
    if (err == null) {
      err = console(spec.commandLine().getErr());
    }
    return err;
  }

  private static PrintWriter console(PrintWriter writer) {
    return Glyphs.forConsole() == Glyphs.UNICODE ? writer : new AsciiLines(writer);
  }

  void printJson(Object value) {
    ObjectMapper mapper =
        new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .enable(SerializationFeature.INDENT_OUTPUT);
    try {
      out().println(mapper.writeValueAsString(value));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write JSON", e);
    }
  }
}
