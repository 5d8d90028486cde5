package dev.runbook.server.queue;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The alert queue in the state directory: {@code serve/alerts.jsonl}, one JSON line per change of
 * an alert (the whole record), synced to disk before a call returns. On open, the file is read (the
 * last line of each key wins; a line torn by a crash is dropped) and written again compacted, one
 * line per alert, through a synced temporary file renamed into place.
 *
 * <p>Thread-safe: calls are serialized; a batch of alerts costs one sync.
 */
public final class DirectoryQueue implements AlertQueue {

  static final ObjectMapper JSON =
      new ObjectMapper()
          .registerModule(new JavaTimeModule())
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  private final Path file;
  private final int limit;
  private final Map<String, AlertRecord> byKey = new LinkedHashMap<>();
  private final Map<String, String> keyByRun = new LinkedHashMap<>();
  private FileChannel channel;
  private int waiting;

  private DirectoryQueue(Path file, int limit) {
    this.file = file;
    this.limit = limit;
  }

  /** Opens (or creates) the queue under {@code dir}. */
  public static DirectoryQueue open(Path dir, int limit) throws IOException {
    createPrivateDirectories(dir);
    DirectoryQueue queue = new DirectoryQueue(dir.resolve("alerts.jsonl"), limit);
    queue.load();
    return queue;
  }

  /**
   * Creates {@code dir} and its missing parents (the state directory itself, when the server is the
   * first to use it) readable by their owner only, as the engine keeps the state directory: alert
   * labels and the token are nobody else's business.
   */
  public static Path createPrivateDirectories(Path dir) throws IOException {
    return Files.createDirectories(
        dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
  }

  private void load() throws IOException {
    if (Files.exists(file)) {
      for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        if (line.isBlank()) {
          continue;
        }
        try {
          remember(JSON.readValue(line, AlertRecord.class));
        } catch (IOException torn) {
          // The last line of a server killed mid-write: it was never acknowledged.
        }
      }
    }
    Path fresh = file.resolveSibling(file.getFileName() + ".tmp");
    try (FileChannel out =
        FileChannel.open(
            fresh,
            StandardOpenOption.CREATE,
            StandardOpenOption.TRUNCATE_EXISTING,
            StandardOpenOption.WRITE)) {
      for (AlertRecord record : byKey.values()) {
        write(out, record);
      }
      out.force(true);
    }
    Files.setPosixFilePermissions(fresh, PosixFilePermissions.fromString("rw-------"));
    Files.move(fresh, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    try (FileChannel dir = FileChannel.open(file.getParent(), StandardOpenOption.READ)) {
      dir.force(true); // the rename itself must survive a crash
    }
    channel = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
  }

  private void remember(AlertRecord record) {
    AlertRecord before = byKey.put(record.key(), record);
    if (before != null && before.state() == AlertRecord.State.QUEUED) {
      waiting--;
    }
    if (record.state() == AlertRecord.State.QUEUED) {
      waiting++;
    }
    if (record.runId() != null) {
      keyByRun.put(record.runId(), record.key());
    }
  }

  private static void write(FileChannel out, AlertRecord record) throws IOException {
    byte[] line = (JSON.writeValueAsString(record) + "\n").getBytes(StandardCharsets.UTF_8);
    ByteBuffer buffer = ByteBuffer.wrap(line);
    while (buffer.hasRemaining()) {
      out.write(buffer);
    }
  }

  @Override
  public synchronized Admission admit(List<AlertRecord> records) throws IOException {
    long queued = records.stream().filter(r -> r.state() == AlertRecord.State.QUEUED).count();
    if (queued > 0 && waiting + queued > limit) {
      return Admission.FULL;
    }
    for (AlertRecord record : records) {
      write(channel, record);
    }
    channel.force(false);
    records.forEach(this::remember);
    return Admission.RECORDED;
  }

  @Override
  public synchronized void update(AlertRecord record) throws IOException {
    AlertRecord known = byKey.get(record.key());
    // Resolved is for good: a worker's record read before the notification keeps it.
    AlertRecord kept = known != null && known.resolved() ? record.withResolved() : record;
    write(channel, kept);
    channel.force(false);
    remember(kept);
  }

  @Override
  public synchronized boolean resolved(String key) throws IOException {
    AlertRecord known = byKey.get(key);
    if (known == null || known.resolved()) {
      return known != null;
    }
    update(known.withResolved());
    return true;
  }

  @Override
  public synchronized Optional<AlertRecord> get(String key) {
    return Optional.ofNullable(byKey.get(key));
  }

  @Override
  public synchronized Optional<AlertRecord> byRun(String runId) {
    String key = keyByRun.get(runId);
    return key == null ? Optional.empty() : Optional.ofNullable(byKey.get(key));
  }

  @Override
  public synchronized List<AlertRecord> all() {
    return new ArrayList<>(byKey.values());
  }

  @Override
  public synchronized int waiting() {
    return waiting;
  }

  @Override
  public int limit() {
    return limit;
  }

  @Override
  public synchronized void close() throws IOException {
    if (channel != null) {
      channel.close();
    }
  }
}
