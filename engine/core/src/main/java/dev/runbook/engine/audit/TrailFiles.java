package dev.runbook.engine.audit;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Arrays;
import java.util.Set;

/**
 * Reads the state directory's files only when they are regular files: a FIFO planted as {@code
 * events.jsonl} would block a reader for ever, a device would stream without end, and a symbolic
 * link would make {@code audit verify} vouch for some other file. The type is checked without
 * following links before the file is opened, and the open does not follow a link either.
 */
public final class TrailFiles {

  /** The file exists but is not a regular file (a FIFO, socket, device, directory or link). */
  public static final class NotRegularFile extends IOException {
    private static final long serialVersionUID = 1L;

    NotRegularFile(Path file, String kind) {
      super(file.getFileName() + " is a " + kind + ", not a regular file: it was planted there");
    }
  }

  private TrailFiles() {}

  /**
   * The file's bytes.
   *
   * @throws java.nio.file.NoSuchFileException when it does not exist
   * @throws NotRegularFile when it is anything but a regular file
   */
  public static byte[] read(Path file) throws IOException {
    requireRegular(file);
    try (SeekableByteChannel channel =
        Files.newByteChannel(file, Set.of(StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS))) {
      long size = channel.size();
      if (size > Integer.MAX_VALUE - 16) {
        throw new IOException(file + " is larger than 2 GB");
      }
      ByteBuffer buffer = ByteBuffer.allocate((int) size);
      while (buffer.hasRemaining() && channel.read(buffer) >= 0) {
        // read until full or end of file (a file still growing is read as far as its size was)
      }
      return buffer.position() == buffer.capacity()
          ? buffer.array()
          : Arrays.copyOf(buffer.array(), buffer.position());
    }
  }

  /** Opens a regular file for reading (the caller closes it). */
  public static SeekableByteChannel open(Path file) throws IOException {
    requireRegular(file);
    return Files.newByteChannel(file, Set.of(StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS));
  }

  /** Throws unless {@code file} is a regular file (not followed if it is a link). */
  public static BasicFileAttributes requireRegular(Path file) throws IOException {
    BasicFileAttributes attributes =
        Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    if (!attributes.isRegularFile()) {
      throw new NotRegularFile(file, kind(attributes));
    }
    return attributes;
  }

  private static String kind(BasicFileAttributes attributes) {
    if (attributes.isDirectory()) {
      return "directory";
    }
    if (attributes.isSymbolicLink()) {
      return "symbolic link";
    }
    return "FIFO, socket or device";
  }
}
