package dev.runbook.engine.library;

import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.CodeSource;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Names the build of the code that checks runbooks: the class path and the places the plugins were
 * loaded from, each with its size and time (a directory of classes by every file in it). Whether a
 * runbook is valid depends on the parser, the validator and the plugins' actions, so a {@link
 * LibraryIndex} written by another build is not believed. Stat calls only: no jar is read.
 */
public final class CodeVersion {

  /** Class directories larger than this are not walked: the code is then not named (no caching). */
  private static final int MAX_FILES_IN_A_DIRECTORY = 20_000;

  private CodeVersion() {}

  /**
   * The name of this build, or {@code ""} when it cannot be told (then nothing is cached).
   *
   * @param classes classes whose code sources count besides the class path (the plugins')
   */
  public static String of(List<Class<?>> classes) {
    TreeSet<String> places = new TreeSet<>();
    String classPath = System.getProperty("java.class.path", "");
    for (String entry : classPath.split(File.pathSeparator)) {
      if (!entry.isEmpty()) {
        places.add(Path.of(entry).toAbsolutePath().normalize().toString());
      }
    }
    for (Class<?> type : classes) {
      CodeSource source = type.getProtectionDomain().getCodeSource();
      if (source == null || source.getLocation() == null) {
        return "";
      }
      try {
        places.add(Path.of(source.getLocation().toURI()).toAbsolutePath().normalize().toString());
      } catch (URISyntaxException | IllegalArgumentException e) {
        return "";
      }
    }
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      for (String place : places) {
        digest.update(describe(Path.of(place)).getBytes(StandardCharsets.UTF_8));
      }
      return HexFormat.of().formatHex(digest.digest());
    } catch (IOException | NoSuchAlgorithmException | UncheckedTooBig e) {
      return "";
    }
  }

  private static String describe(Path place) throws IOException {
    if (!Files.exists(place)) {
      return place + " absent\n";
    }
    if (!Files.isDirectory(place)) {
      BasicFileAttributes attributes = Files.readAttributes(place, BasicFileAttributes.class);
      return place
          + " "
          + attributes.size()
          + " "
          + attributes.lastModifiedTime().toMillis()
          + "\n";
    }
    StringBuilder text = new StringBuilder(place + " directory\n");
    try (Stream<Path> walk = Files.walk(place)) {
      List<Path> files = walk.filter(Files::isRegularFile).sorted().toList();
      if (files.size() > MAX_FILES_IN_A_DIRECTORY) {
        throw new UncheckedTooBig();
      }
      for (Path file : files) {
        BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
        text.append(place.relativize(file))
            .append(' ')
            .append(attributes.size())
            .append(' ')
            .append(attributes.lastModifiedTime().toMillis())
            .append('\n');
      }
    }
    return text.toString();
  }

  /** A directory too large to name cheaply. */
  private static final class UncheckedTooBig extends RuntimeException {
    private static final long serialVersionUID = 1L;

    UncheckedTooBig() {
      super(null, null, false, false);
    }
  }
}
