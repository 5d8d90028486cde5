package dev.runbook.engine.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.runbook.engine.state.PrivateFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

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
   * @param event {@code started}, {@code paused}, {@code resumed}, {@code finished}, or {@code
   *     copied} (brought here from a shared store)
   * @param lines the trail's line count when it was written
   * @param hash the SHA-256 of that trail line
   * @param key the signing key's fingerprint, or null when unsigned
   * @param prev the {@code prev} this line records
   * @param vouches whether the engine that wrote this line had checked the line before it: signed
   *     by the same key, with a valid signature (then this line's signature covers that one too)
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
      String lineHash,
      boolean vouches) {}

  private Ledger() {}

  public static Path file(Path stateDir) {
    return stateDir.resolve(FILE);
  }

  /**
   * Records that a run's trail was brought into this state directory from a shared store, up to its
   * line {@code lines} with that hash: the run was not made here, but it belongs here now, and
   * {@code audit verify} holds its copy to that line as to any other ledger line.
   */
  public static void copied(Path stateDir, String run, long lines, String hash, SigningKey key)
      throws IOException {
    append(stateDir, run, "copied", lines, hash, key, true, Clock.systemUTC());
  }

  /**
   * Appends one line for {@code run}, signed when {@code key} is not null.
   *
   * <p>Synchronized: a file lock is held for the whole JVM, so a second thread of this JVM taking
   * it gets {@link java.nio.channels.OverlappingFileLockException}, and a second channel closed
   * meanwhile would drop it. The threads of one JVM (runs of {@code runbook serve}) take turns here
   * first.
   */
  static synchronized void append(
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
    if (Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
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
      boolean vouches = false;
      if (last != null) {
        prev = Hashes.sha256(last);
        JsonNode json = AuditLog.MAPPER.readTree(last);
        seq = json.path("seq").asLong(0) + 1;
        vouches = key != null && signedByAndValid(last, key);
      }
      ObjectNode body = AuditLog.MAPPER.createObjectNode();
      body.put("seq", seq);
      body.put("time", Instant.now(clock).toString());
      body.put("prev", prev);
      body.put("run", run);
      body.put("event", event);
      body.put("lines", lines);
      body.put("hash", hash);
      if (vouches) {
        // This line's signature then covers the line before: a verifier checks one signature
        // for a run of lines signed by one key, not one for each line (~1 ms each).
        body.put("vouches", true);
      }
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

  /** Whether {@code line} is signed by {@code key} and its signature is valid. */
  private static boolean signedByAndValid(byte[] line, SigningKey key) {
    Entry entry = parse(0, line);
    if (entry == null || entry.sig() == null || !key.fingerprint().equals(entry.key())) {
      return false;
    }
    try {
      return TrustedKeys.verifies(
          key.publicKey(), entry.body(), Base64.getDecoder().decode(entry.sig()));
    } catch (IllegalArgumentException e) {
      return false;
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
        Hashes.sha256(line),
        json.path("vouches").asBoolean(false));
  }

  /**
   * Checks the ledger's signatures against the trusted keys, from its last line back: a line's
   * valid signature covers the line before it when it {@link Entry#vouches vouches} for it (the
   * engine checked that line's signature, by the same key, before it wrote this one); any other
   * line before it is checked itself. With one key, one signature is checked for the whole ledger.
   * When the chain is not whole ({@link #read} found problems), every line is checked itself.
   *
   * @return [altered problems, unsigned problems, the line numbers whose content is authenticated]
   */
  static Signatures checkSignatures(List<Entry> entries, TrustedKeys keys, boolean chainWhole) {
    List<String> altered = new ArrayList<>();
    List<Integer> unsigned = new ArrayList<>();
    Set<Integer> authentic = new HashSet<>();
    boolean coveredByNext = false;
    for (int i = entries.size() - 1; i >= 0; i--) {
      Entry e = entries.get(i);
      boolean valid;
      if (coveredByNext) {
        valid = true;
      } else if (e.key() == null || e.sig() == null) {
        unsigned.add(e.number());
        valid = false;
      } else {
        switch (keys.check(e.key(), e.body(), e.sig())) {
          case VALID -> valid = true;
          case UNTRUSTED_KEY -> {
            altered.add(
                "ledger.jsonl line "
                    + e.number()
                    + " is signed by "
                    + e.key()
                    + ", which is not a trusted key");
            valid = false;
          }
          default -> {
            altered.add(
                "ledger.jsonl line " + e.number() + " was edited: its signature does not verify");
            valid = false;
          }
        }
      }
      if (valid) {
        authentic.add(e.number());
      }
      // A broken chain breaks what a signature covers: then every line is checked itself.
      coveredByNext = chainWhole && valid && e.vouches();
    }
    Collections.reverse(altered);
    Collections.sort(unsigned);
    List<String> unsignedProblems =
        unsigned.isEmpty()
            ? List.of()
            : List.of(
                "ledger.jsonl: "
                    + unsigned.size()
                    + " line"
                    + (unsigned.size() == 1 ? " is" : "s are")
                    + " not signed (first: line "
                    + unsigned.get(0)
                    + ")");
    return new Signatures(List.copyOf(altered), unsignedProblems, authentic);
  }

  /** What {@link #checkSignatures} found. */
  record Signatures(List<String> altered, List<String> unsigned, Set<Integer> authentic) {}

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
