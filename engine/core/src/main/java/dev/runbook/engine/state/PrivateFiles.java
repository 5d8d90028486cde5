package dev.runbook.engine.state;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NotDirectoryException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * Creates the state directory's files and directories private to the engine's user (0600 and 0700),
 * whatever the umask: trails hold command output, and a lock or index another user could write
 * would let them forge what {@code audit list} shows or block runs.
 *
 * <p>Each file or directory is created with the private mode as its creation attribute (the umask
 * can only take bits away, so it is never more open than private, not even for an instant), then
 * set to exactly that mode (a umask such as 0277 would otherwise leave the owner unable to write).
 * Nothing here follows a symbolic link at the last path component: a link planted where a trail or
 * lock file belongs is refused, not written through.
 */
public final class PrivateFiles {

  public static final Set<PosixFilePermission> FILE_MODE =
      PosixFilePermissions.fromString("rw-------");
  public static final Set<PosixFilePermission> DIRECTORY_MODE =
      PosixFilePermissions.fromString("rwx------");

  private static final FileAttribute<Set<PosixFilePermission>> FILE_ATTRIBUTE =
      PosixFilePermissions.asFileAttribute(FILE_MODE);
  private static final FileAttribute<Set<PosixFilePermission>> DIRECTORY_ATTRIBUTE =
      PosixFilePermissions.asFileAttribute(DIRECTORY_MODE);

  private PrivateFiles() {}

  /**
   * Creates {@code dir} and any missing parents; every directory this call creates is 0700.
   * Directories that already exist are left as they are.
   *
   * @throws NotDirectoryException when {@code dir} or a parent exists and is not a directory
   */
  public static Path createDirectories(Path dir) throws IOException {
    Path absolute = dir.toAbsolutePath();
    List<Path> missing = new ArrayList<>();
    for (Path p = absolute; p != null && !Files.exists(p, LinkOption.NOFOLLOW_LINKS); ) {
      missing.add(p);
      p = p.getParent();
    }
    Path existing = missing.isEmpty() ? absolute : missing.get(missing.size() - 1).getParent();
    if (existing != null && !Files.isDirectory(existing)) {
      throw new NotDirectoryException(existing.toString());
    }
    for (int i = missing.size() - 1; i >= 0; i--) {
      createDirectory(missing.get(i), true);
    }
    return dir;
  }

  /**
   * Creates one directory, 0700.
   *
   * @param existingIsFine whether a directory already there is success (else {@link
   *     FileAlreadyExistsException})
   */
  public static Path createDirectory(Path dir, boolean existingIsFine) throws IOException {
    try {
      Files.createDirectory(dir, DIRECTORY_ATTRIBUTE);
    } catch (FileAlreadyExistsException e) {
      if (existingIsFine && Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
        return dir;
      }
      throw e;
    }
    Files.setPosixFilePermissions(dir, DIRECTORY_MODE);
    return dir;
  }

  /**
   * Opens a file, creating it 0600 when {@code options} allow creation and it does not exist. The
   * last path component is never followed if it is a symbolic link.
   */
  public static FileChannel open(Path file, OpenOption... options) throws IOException {
    List<OpenOption> all = new ArrayList<>(Arrays.asList(options));
    all.add(LinkOption.NOFOLLOW_LINKS);
    boolean creates =
        all.contains(StandardOpenOption.CREATE) || all.contains(StandardOpenOption.CREATE_NEW);
    boolean existed = creates && Files.exists(file, LinkOption.NOFOLLOW_LINKS);
    FileChannel channel =
        FileChannel.open(
            file,
            Set.copyOf(all),
            creates ? new FileAttribute<?>[] {FILE_ATTRIBUTE} : new FileAttribute<?>[0]);
    if (creates && !existed) {
      try {
        Files.setPosixFilePermissions(file, FILE_MODE);
      } catch (IOException e) {
        channel.close();
        throw e;
      }
    }
    return channel;
  }

  /** Writes a whole file (created 0600, replaced if it exists), not following a link. */
  public static void write(Path file, byte[] content) throws IOException {
    try (FileChannel channel =
        open(
            file,
            StandardOpenOption.CREATE,
            StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING)) {
      ByteBuffer buffer = ByteBuffer.wrap(content);
      while (buffer.hasRemaining()) {
        channel.write(buffer);
      }
    }
  }
}
