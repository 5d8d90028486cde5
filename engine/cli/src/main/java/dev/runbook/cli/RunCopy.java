package dev.runbook.cli;

import dev.runbook.engine.audit.Hashes;
import dev.runbook.engine.audit.RunDirectory;
import dev.runbook.engine.store.TrailStore;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Writes one run of a {@link TrailStore} into a directory in the state directory's format ({@code
 * runs/ID/events.jsonl}, {@code events.head}, {@code outputs/…}), byte for byte, so the directory
 * verifier checks it as it checks a run the engine wrote there.
 *
 * <p>Not {@code TrailExport} into a {@code DirectoryStore}: that appends (and syncs) one line at a
 * time and re-reads the trail before each, which for an export of a thousand runs is a sync per
 * line; here each file is written whole, in a staging directory beside {@code runs/} that is moved
 * into place last, so a run is either there complete or not there at all.
 */
final class RunCopy {

  /**
   * What was copied.
   *
   * @param lines how many lines the run has in the store
   * @param lastHash the SHA-256 of its last line, or null when it has none
   * @param problems what the store holds that could not be written as a run's file (a file name
   *     leading out of the run): the trail is then not what the engine wrote
   */
  record Copied(String runId, int lines, String lastHash, List<String> problems) {}

  private static final FileAttribute<Set<PosixFilePermission>> FILE_MODE =
      PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));
  private static final FileAttribute<Set<PosixFilePermission>> DIRECTORY_MODE =
      PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"));

  private RunCopy() {}

  /**
   * Creates {@code dir} and its missing parents, each readable by its user only (what is copied
   * holds what steps printed), as the state directory's are.
   */
  static Path createDirectories(Path dir) throws IOException {
    Path absolute = dir.toAbsolutePath();
    if (Files.isDirectory(absolute)) {
      return dir;
    }
    if (absolute.getParent() != null) {
      createDirectories(absolute.getParent());
    }
    try {
      createDirectory(absolute);
    } catch (FileAlreadyExistsException e) {
      if (!Files.isDirectory(absolute, LinkOption.NOFOLLOW_LINKS)) {
        throw e;
      }
    }
    return dir;
  }

  /** Creates one directory, 0700 whatever the umask. */
  private static void createDirectory(Path dir) throws IOException {
    Files.createDirectory(dir, DIRECTORY_MODE);
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
  }

  /**
   * Copies run {@code runId} to {@code stateDir/runs/runId}.
   *
   * @param sync whether to sync each file to disk (an export; a throw-away snapshot need not)
   * @throws FileAlreadyExistsException when {@code stateDir} has that run already (nothing is
   *     written over it)
   */
  static Copied copy(TrailStore from, String runId, Path stateDir, boolean sync)
      throws IOException {
    if (!RunDirectory.isValidId(runId)) {
      throw new IllegalArgumentException("'" + runId + "' is not a run id");
    }
    Path runs = createDirectories(RunDirectory.runsRoot(stateDir));
    Path target = runs.resolve(runId);
    if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
      throw new FileAlreadyExistsException(target.toString(), null, "the run is there already");
    }
    // Beside runs/, not in it: a listing of runs never sees a half-copied one.
    Path staging = stateDir.resolve(".copying-" + runId);
    deleteTree(staging);
    createDirectory(staging);
    try {
      createDirectory(staging.resolve("outputs"));
      List<String> problems = new ArrayList<>();
      for (String name : from.fileNames(runId)) {
        Optional<Path> file = new RunDirectory(runId, staging).outputFile(name);
        if (file.isEmpty()) {
          problems.add(
              "the store holds a file '"
                  + Visible.text(name)
                  + "' for this run, which is not outputs/NAME: it was not written by the engine");
          continue;
        }
        byte[] content = from.file(runId, name);
        if (content != null) {
          write(file.get(), content, sync);
        }
      }
      List<byte[]> lines = from.lines(runId);
      ByteArrayOutputStream events = new ByteArrayOutputStream();
      for (byte[] line : lines) {
        events.write(line);
        events.write('\n');
      }
      write(staging.resolve("events.jsonl"), events.toByteArray(), sync);
      byte[] head = from.head(runId);
      if (head != null) {
        write(staging.resolve("events.head"), head, sync);
      }
      Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
      if (sync) {
        syncDirectory(runs);
      }
      String lastHash = lines.isEmpty() ? null : Hashes.sha256(lines.get(lines.size() - 1));
      return new Copied(runId, lines.size(), lastHash, List.copyOf(problems));
    } catch (IOException | RuntimeException e) {
      deleteTree(staging);
      throw e;
    }
  }

  private static void write(Path file, byte[] content, boolean sync) throws IOException {
    // CREATE_NEW: never through a link planted there, never over a file already there.
    try (FileChannel channel =
        FileChannel.open(
            file, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), FILE_MODE)) {
      ByteBuffer buffer = ByteBuffer.wrap(content);
      while (buffer.hasRemaining()) {
        channel.write(buffer);
      }
      if (sync) {
        channel.force(false);
      }
    }
  }

  private static void syncDirectory(Path dir) {
    try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
      channel.force(true);
    } catch (IOException e) {
      // not every file system lets a directory be synced; the files themselves are
    }
  }

  /** Deletes a directory and what is in it, never following a link out of it. */
  static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (Stream<Path> all = Files.walk(dir)) {
      for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
