package dev.runbook.engine.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.runbook.engine.state.PrivateFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * {@code STATE/ledger.jsonl}: the runs themselves, one line each time a run starts, pauses, resumes
 * or finishes, recording the run id and its trail's line count and last hash at that moment. Lines
 * are hash-chained like a trail and, when the engine has a {@link SigningKey}, each is signed. A
 * run whose directory is deleted is still named here; removing its lines breaks the chain (and,
 * signed, cannot be repaired without the key). Only the newest lines can go unnoticed, by cutting
 * the file's end: ship its last line elsewhere to close that (docs/audit.md).
 *
 * <p>Several engines append at once: each append holds an OS lock on the file while it reads the
 * last line and writes its own.
 */
public final class Ledger {

  private static final String FILE = "ledger.jsonl";
  private static final byte[] SIGNATURE_START = ",\"key\":\"".getBytes(StandardCharsets.US_ASCII);

  /**
   * One line.
   *
   * @param number the 1-based line number
   * @param event {@code started}, {@code paused}, {@code resumed} or {@code finished}
   * @param lines the trail's line count when it was written
   * @param hash the SHA-256 of that trail line
   * @param key the signing key's fingerprint, or null when unsigned
   * @param prev the {@code prev} this line records
   */
  public record Entry(
      int number,
      long seq,
      String run,
      String event,
      long lines,
      String hash,
      String key,
      String sig,
      String prev,
      byte[] body,
      String lineHash) {}

  private Ledger() {}

  public static Path file(Path stateDir) {
    return stateDir.resolve(FILE);
  }

  /** Appends one line for {@code run}, signed when {@code key} is not null. */
  static void append(
      Path stateDir,
      String run,
      String event,
      long lines,
      String hash,
      SigningKey key,
      boolean fsync,
      Clock clock)
      throws IOException {
    Path file = file(stateDir);
    if (java.nio.file.Files.exists(file, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      TrailFiles.requireRegular(file);
    }
    try (FileChannel ledger =
            PrivateFiles.open(
                file,
                StandardOpenOption.CREATE,
                StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        FileLock lock = ledger.lock()) {
      long end = ledger.size();
      byte[] last = lastLine(ledger, end);
      long completeEnd = completeEnd(ledger, end);
      String prev = AuditLog.GENESIS;
      long seq = 1;
      if (last != null) {
        prev = Hashes.sha256(last);
        JsonNode json = AuditLog.MAPPER.readTree(last);
        seq = json.path("seq").asLong(0) + 1;
      }
      ObjectNode body = AuditLog.MAPPER.createObjectNode();
      body.put("seq", seq);
      body.put("time", Instant.now(clock).toString());
      body.put("prev", prev);
      body.put("run", run);
      body.put("event", event);
      body.put("lines", lines);
      body.put("hash", hash);
      byte[] bodyBytes = AuditLog.MAPPER.writeValueAsBytes(body);
      byte[] line = bodyBytes;
      if (key != null) {
        String suffix =
            ",\"key\":\"" + key.fingerprint() + "\",\"sig\":\"" + key.signBase64(bodyBytes) + "\"}";
        byte[] tail = suffix.getBytes(StandardCharsets.US_ASCII);
        line = Arrays.copyOf(bodyBytes, bodyBytes.length - 1 + tail.length);
        System.arraycopy(tail, 0, line, bodyBytes.length - 1, tail.length);
      }
      // A torn last line (power loss mid-append) is cut so the chain goes on from a whole line.
      ledger.truncate(completeEnd);
      ByteBuffer buffer = ByteBuffer.allocate(line.length + 1).put(line).put((byte) '\n').flip();
      long position = completeEnd;
      while (buffer.hasRemaining()) {
        position += ledger.write(buffer, position);
      }
      if (fsync) {
        ledger.force(false);
      }
    }
  }

  /** Bytes up to and including the last newline. */
  private static long completeEnd(FileChannel ledger, long end) throws IOException {
    long from = Math.max(0, end - 64 * 1024);
    ByteBuffer window = ByteBuffer.allocate((int) (end - from));
    ledger.read(window, from);
    byte[] bytes = window.array();
    for (int i = bytes.length - 1; i >= 0; i--) {
      if (bytes[i] == '\n') {
        return from + i + 1;
      }
    }
    return 0;
  }

  /** The last whole line (without its newline), or null when there is none. */
  private static byte[] lastLine(FileChannel ledger, long end) throws IOException {
    long complete = completeEnd(ledger, end);
    if (complete == 0) {
      return null;
    }
    long from = Math.max(0, complete - 64 * 1024);
    ByteBuffer window = ByteBuffer.allocate((int) (complete - from));
    ledger.read(window, from);
    byte[] bytes = window.array();
    int stop = bytes.length - 1;
    int start = stop;
    while (start > 0 && bytes[start - 1] != '\n') {
      start--;
    }
    return Arrays.copyOfRange(bytes, start, stop);
  }

  /** The ledger as read, with what is wrong with it. */
  public record Contents(
      boolean exists, List<Entry> entries, List<String> problems, boolean torn) {}

  /**
   * Reads and checks the chain (not the signatures: {@link #checkSignatures}). A missing ledger is
   * {@code exists() == false}, no problem by itself.
   */
  public static Contents read(Path stateDir) throws IOException {
    byte[] content;
    try {
      content = TrailFiles.read(file(stateDir));
    } catch (NoSuchFileException e) {
      return new Contents(false, List.of(), List.of(), false);
    } catch (TrailFiles.NotRegularFile e) {
      return new Contents(true, List.of(), List.of("ledger.jsonl: " + e.getMessage()), false);
    }
    List<Entry> entries = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    String previous = AuditLog.GENESIS;
    int start = 0;
    int number = 0;
    for (int i = 0; i < content.length; i++) {
      if (content[i] != '\n') {
        continue;
      }
      number++;
      byte[] line = Arrays.copyOfRange(content, start, i);
      start = i + 1;
      Entry entry = parse(number, line);
      String lineHash = Hashes.sha256(line);
      if (entry == null) {
        problems.add("ledger.jsonl line " + number + " is not a ledger entry: it was edited");
      } else if (entry.seq() != number) {
        problems.add(
            "ledger.jsonl line "
                + number
                + " has seq "
                + entry.seq()
                + ": lines of the ledger were removed or reordered");
      } else if (!entry.prev().equals(previous)) {
        problems.add(
            number == 1
                ? "ledger.jsonl line 1 does not start the chain: lines before it were removed, or it was edited"
                : "ledger.jsonl line "
                    + (number - 1)
                    + " was edited or removed (line "
                    + number
                    + " does not chain to it)");
      }
      if (entry != null) {
        entries.add(entry);
      }
      previous = lineHash;
    }
    boolean torn = start < content.length;
    return new Contents(true, List.copyOf(entries), List.copyOf(problems), torn);
  }

  private static Entry parse(int number, byte[] line) {
    JsonNode json;
    try {
      json = AuditLog.MAPPER.readTree(line);
    } catch (IOException e) {
      return null;
    }
    if (json == null || !json.isObject() || !json.path("run").isTextual()) {
      return null;
    }
    String key = json.path("key").isTextual() ? json.get("key").asText() : null;
    String sig = json.path("sig").isTextual() ? json.get("sig").asText() : null;
    byte[] body = line;
    if (key != null) {
      int at = lastIndexOf(line, SIGNATURE_START);
      if (at < 0) {
        return null;
      }
      body = Arrays.copyOf(line, at + 1);
      body[at] = '}';
    }
    return new Entry(
        number,
        json.path("seq").asLong(-1),
        json.get("run").asText(),
        json.path("event").asText(""),
        json.path("lines").asLong(-1),
        json.path("hash").asText(""),
        key,
        sig,
        json.path("prev").asText(""),
        body,
        Hashes.sha256(line));
  }

  /**
   * Checks every line's signature against the trusted keys, on every core: a line without one, or
   * by a key not trusted, or whose signature fails, is reported.
   *
   * @return [altered problems, unsigned problems]
   */
  static List<List<String>> checkSignatures(List<Entry> entries, TrustedKeys keys) {
    List<String> altered = java.util.Collections.synchronizedList(new ArrayList<>());
    List<Integer> unsigned = java.util.Collections.synchronizedList(new ArrayList<>());
    entries.parallelStream()
        .forEach(
            e -> {
              if (e.key() == null || e.sig() == null) {
                unsigned.add(e.number());
                return;
              }
              switch (keys.check(e.key(), e.body(), e.sig())) {
                case VALID -> {}
                case UNTRUSTED_KEY ->
                    altered.add(
                        "ledger.jsonl line "
                            + e.number()
                            + " is signed by "
                            + e.key()
                            + ", which is not a trusted key");
                case BAD_SIGNATURE ->
                    altered.add(
                        "ledger.jsonl line "
                            + e.number()
                            + " was edited: its signature does not verify");
              }
            });
    List<String> sortedAltered = new ArrayList<>(altered);
    java.util.Collections.sort(sortedAltered);
    List<Integer> sortedUnsigned = new ArrayList<>(unsigned);
    java.util.Collections.sort(sortedUnsigned);
    List<String> unsignedProblems =
        sortedUnsigned.isEmpty()
            ? List.of()
            : List.of(
                "ledger.jsonl: "
                    + sortedUnsigned.size()
                    + " line"
                    + (sortedUnsigned.size() == 1 ? " is" : "s are")
                    + " not signed (first: line "
                    + sortedUnsigned.get(0)
                    + ")");
    return List.of(sortedAltered, unsignedProblems);
  }

  private static int lastIndexOf(byte[] line, byte[] literal) {
    outer:
    for (int i = line.length - literal.length; i >= 0; i--) {
      for (int k = 0; k < literal.length; k++) {
        if (line[i + k] != literal[k]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
