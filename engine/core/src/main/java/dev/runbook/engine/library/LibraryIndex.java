package dev.runbook.engine.library;

import java.io.IOException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What the engine learnt about each runbook file it read, keyed by the SHA-256 of the file's bytes:
 * the names it answers to, and whether it was found valid by this very build of the engine and its
 * plugins, with which library files (a runbook that uses a library is valid only with the bytes of
 * the library it was checked with). It lets {@code run X} parse only the file that answers to X,
 * and check it again only when its bytes or the code changed (checking conditions builds CEL, the
 * largest part of a cold start).
 *
 * <p>Kept in the state directory as {@value #FILE}. It is a cache: a missing, unreadable, foreign
 * (written by another build: {@link CodeVersion}) or not-private file is ignored and rebuilt; a
 * file's entry is only ever used for the exact bytes it was made from. Written atomically (a
 * temporary file moved over the old one), and never by an engine that writes nothing (a dry run).
 */
public final class LibraryIndex {

  public static final String FILE = "library.index";
  private static final String HEADER = "runbook library index 2";

  /** Entries kept for files no longer in the library (another --runbooks), oldest dropped first. */
  private static final int MAX_ENTRIES = 10_000;

  /**
   * What is known of one file's bytes.
   *
   * @param valid whether they were found valid, with exactly the library files of {@code uses}
   * @param names a runbook's id and alarm ids, or a library's name
   * @param uses for a valid runbook that uses libraries: each library's name and the SHA-256 of the
   *     file that answered when it was checked; a runbook whose library changed is checked again
   */
  public record Entry(Kind kind, boolean valid, List<String> names, Map<String, String> uses) {
    public Entry {
      names = List.copyOf(names);
      uses = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(uses));
    }

    public Entry(Kind kind, boolean valid, List<String> names) {
      this(kind, valid, names, Map.of());
    }

    /** Whether this file answers to a runbook id or alarm id (compared as {@code answersTo}). */
    boolean answersTo(String name) {
      return names.stream().anyMatch(n -> n.equalsIgnoreCase(name));
    }
  }

  /** What a file turned out to be. */
  public enum Kind {
    /** A runbook (perhaps with problems): its names are its id, then its alarm ids. */
    RUNBOOK,
    /** YAML of another kind: a library skips it. */
    NOT_A_RUNBOOK,
    /** A library file (procedures runbooks share): its one name is the library's. */
    LIBRARY,
    /** Unreadable as a runbook: it answers to no name. */
    BROKEN
  }

  /** An index that remembers nothing and saves nothing. */
  public static LibraryIndex none() {
    return new LibraryIndex(null, "", new LinkedHashMap<>(), false);
  }

  private final Path file;
  private final String code;
  private final Map<String, Entry> entries;
  private final boolean writable;
  private final Map<String, Entry> seen = new LinkedHashMap<>();
  private boolean changed;

  private LibraryIndex(Path file, String code, Map<String, Entry> entries, boolean writable) {
    this.file = file;
    this.code = code;
    this.entries = entries;
    this.writable = writable;
  }

  /**
   * The index in {@code stateDir} for this build of the code ({@code code}, see {@link
   * CodeVersion}); empty when there is none yet or it cannot be trusted.
   *
   * @param writable whether {@link #save()} may write it (it never creates the state directory)
   */
  public static LibraryIndex open(Path stateDir, String code, boolean writable) {
    if (stateDir == null || code.isEmpty()) {
      return none();
    }
    Path file = stateDir.resolve(FILE);
    return new LibraryIndex(file, code, read(file, code), writable);
  }

  private static Map<String, Entry> read(Path file, String code) {
    Map<String, Entry> entries = new LinkedHashMap<>();
    try {
      if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS) || !privateToUs(file)) {
        return entries;
      }
      List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
      if (lines.size() < 2
          || !lines.get(0).equals(HEADER)
          || !lines.get(1).equals("code " + code)) {
        return entries;
      }
      for (String line : lines.subList(2, lines.size())) {
        String[] fields = line.split("\t", -1);
        if (fields.length != 5 || fields[0].length() != 64) {
          return new LinkedHashMap<>(); // not written by us: trust none of it
        }
        Kind kind = Kind.valueOf(fields[1]);
        Map<String, String> uses = new LinkedHashMap<>();
        for (String use : decoded(fields[4])) {
          int at = use.lastIndexOf('=');
          if (at < 0) {
            return new LinkedHashMap<>();
          }
          uses.put(use.substring(0, at), use.substring(at + 1));
        }
        entries.put(
            fields[0], new Entry(kind, fields[2].equals("valid"), decoded(fields[3]), uses));
      }
    } catch (IOException | RuntimeException e) {
      return new LinkedHashMap<>();
    }
    return entries;
  }

  private static List<String> decoded(String field) {
    return field.isEmpty()
        ? List.of()
        : Arrays.stream(field.split(",", -1))
            .map(n -> URLDecoder.decode(n, StandardCharsets.UTF_8))
            .toList();
  }

  private static String encoded(List<String> values) {
    return String.join(
        ",", values.stream().map(n -> URLEncoder.encode(n, StandardCharsets.UTF_8)).toList());
  }

  /**
   * Only a file that no one else can write is believed: a "valid" in it skips checking a runbook.
   */
  private static boolean privateToUs(Path file) throws IOException {
    try {
      Set<PosixFilePermission> permissions =
          Files.getPosixFilePermissions(file, LinkOption.NOFOLLOW_LINKS);
      Object owner = Files.getAttribute(file, "unix:uid", LinkOption.NOFOLLOW_LINKS);
      Object us = Files.getAttribute(file.getParent(), "unix:uid", LinkOption.NOFOLLOW_LINKS);
      return owner.equals(us)
          && !permissions.contains(PosixFilePermission.GROUP_WRITE)
          && !permissions.contains(PosixFilePermission.OTHERS_WRITE);
    } catch (UnsupportedOperationException e) {
      return false;
    }
  }

  /** What is known of the file whose bytes have this digest. */
  public Optional<Entry> get(String digest) {
    Entry entry = entries.get(digest);
    if (entry != null) {
      seen.put(digest, entry);
    }
    return Optional.ofNullable(entry);
  }

  /** Records what a file turned out to be. */
  public void put(String digest, Entry entry) {
    if (!entry.equals(entries.get(digest))) {
      changed = true;
    }
    entries.put(digest, entry);
    seen.put(digest, entry);
  }

  /**
   * Writes the index when something changed, the state directory exists and this index may be
   * written; a failure to write is not an error (the next command reads the library in full).
   */
  public void save() {
    if (!changed || !writable || file == null || !Files.isDirectory(file.getParent())) {
      return;
    }
    List<String> lines = new ArrayList<>(List.of(HEADER, "code " + code));
    Map<String, Entry> kept = new LinkedHashMap<>(seen);
    List<String> older = new ArrayList<>(entries.keySet());
    for (int i = older.size() - 1; i >= 0 && kept.size() < MAX_ENTRIES; i--) {
      kept.putIfAbsent(older.get(i), entries.get(older.get(i)));
    }
    kept.forEach((digest, entry) -> lines.add(line(digest, entry)));
    try {
      Path temporary = Files.createTempFile(file.getParent(), FILE, ".tmp");
      try {
        Files.write(temporary, lines, StandardCharsets.UTF_8);
        try {
          Files.move(
              temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
          Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
        }
      } finally {
        Files.deleteIfExists(temporary);
      }
      changed = false;
    } catch (IOException | UnsupportedOperationException e) {
      // a cache that cannot be written is only slower next time
    }
  }

  private static String line(String digest, Entry entry) {
    List<String> uses = new ArrayList<>();
    entry.uses().forEach((library, hash) -> uses.add(library + "=" + hash));
    return digest
        + "\t"
        + entry.kind().name()
        + "\t"
        + (entry.valid() ? "valid" : "unchecked")
        + "\t"
        + encoded(entry.names())
        + "\t"
        + encoded(uses);
  }
}
