package dev.runbook.engine.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * A run's trail as read from disk: its complete lines (each parsed when it can be) and whether a
 * partial line follows them. Reading never fails on a damaged trail; {@link AuditVerifier} says
 * what is wrong with it.
 */
public final class AuditTrail {

  /**
   * One complete line.
   *
   * @param number 1-based line number in the file
   * @param bytes the line without its newline
   * @param json the parsed line, or null when it is not JSON
   * @param event the event, or null when the line does not parse as one
   */
  public record Line(int number, byte[] bytes, JsonNode json, AuditEvent event) {

    public long seq() {
      return json == null || !json.has("seq") ? -1 : json.get("seq").asLong(-1);
    }

    public String prev() {
      return json == null || !json.has("prev") ? "" : json.get("prev").asText();
    }

    public Optional<Instant> time() {
      try {
        return json == null || !json.has("time")
            ? Optional.empty()
            : Optional.of(Instant.parse(json.get("time").asText()));
      } catch (DateTimeParseException e) {
        return Optional.empty();
      }
    }

    public String hash() {
      return Hashes.sha256(bytes);
    }
  }

  private final RunDirectory run;
  private final List<Line> lines;
  private final long completeBytes;
  private final byte[] partial;

  private AuditTrail(RunDirectory run, List<Line> lines, long completeBytes, byte[] partial) {
    this.run = run;
    this.lines = List.copyOf(lines);
    this.completeBytes = completeBytes;
    this.partial = partial;
  }

  public static AuditTrail read(RunDirectory run) throws IOException {
    byte[] content;
    try {
      content = TrailFiles.read(run.events());
    } catch (NoSuchFileException e) {
      return new AuditTrail(run, List.of(), 0, new byte[0]);
    }
    List<Line> lines = new ArrayList<>();
    int start = 0;
    int number = 0;
    for (int i = 0; i < content.length; i++) {
      if (content[i] == '\n') {
        lines.add(parse(++number, Arrays.copyOfRange(content, start, i)));
        start = i + 1;
      }
    }
    return new AuditTrail(run, lines, start, Arrays.copyOfRange(content, start, content.length));
  }

  /** One line parsed on its own (for readers that do not read the whole trail). */
  static Line parseLine(int number, byte[] bytes) {
    return parse(number, bytes);
  }

  private static Line parse(int number, byte[] bytes) {
    JsonNode json;
    try {
      json = AuditLog.MAPPER.readTree(bytes);
    } catch (IOException e) {
      return new Line(number, bytes, null, null);
    }
    AuditEvent event = null;
    if (json instanceof ObjectNode object) {
      ObjectNode copy = object.deepCopy();
      copy.remove(List.of("seq", "time", "prev"));
      try {
        event = AuditLog.MAPPER.treeToValue(copy, AuditEvent.class);
      } catch (IOException | IllegalArgumentException e) {
        event = null;
      }
    }
    return new Line(number, bytes, json, event);
  }

  public RunDirectory run() {
    return run;
  }

  public List<Line> lines() {
    return lines;
  }

  public List<AuditEvent> events() {
    return lines.stream().map(Line::event).filter(e -> e != null).toList();
  }

  /** The bytes of the first {@code count} lines, each with its newline. */
  public long bytesThrough(int count) {
    long bytes = 0;
    for (int i = 0; i < count; i++) {
      bytes += lines.get(i).bytes().length + 1;
    }
    return bytes;
  }

  /** Bytes up to and including the last newline. */
  public long completeBytes() {
    return completeBytes;
  }

  /** Whether the file ends in a line without its newline (the process died writing it). */
  public boolean hasPartialLine() {
    return partial.length > 0;
  }

  /** The hash the next line's {@code prev} must carry. */
  public String lastHash() {
    return lines.isEmpty() ? AuditLog.GENESIS : lines.get(lines.size() - 1).hash();
  }

  public String partialText() {
    return new String(partial, StandardCharsets.UTF_8);
  }
}
