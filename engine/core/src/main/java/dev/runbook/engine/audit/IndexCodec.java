package dev.runbook.engine.audit;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;

/**
 * The field encoding of {@link RunIndex} lines: tab-separated, each field escaped so it holds no
 * tab, newline, or list separator. Not JSON on purpose: {@code audit list} reads 10,000 entries in
 * a fresh JVM whose JIT is C1 only, where Jackson costs 0.3–0.5 s for them and splitting strings 20
 * ms.
 *
 * <p>A value is {@code \0} for null, else the text with {@code \\ \t \n \r} escaped and the
 * separators {@code \u001e} (key from value) and {@code \u001f} (item from item) written as {@code
 * \k} and {@code \i}. A list is its size, then each item after a {@code \u001f}; a map likewise,
 * each item {@code key\u001evalue}.
 */
final class IndexCodec {

  private static final char ITEM = '\u001f';
  private static final char KEY = '\u001e';
  private static final String NULL = "\\0";

  private IndexCodec() {}

  static String text(String value) {
    if (value == null) {
      return NULL;
    }
    StringBuilder out = new StringBuilder(value.length() + 8);
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '\\' -> out.append("\\\\");
        case '\t' -> out.append("\\t");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case KEY -> out.append("\\k");
        case ITEM -> out.append("\\i");
        default -> out.append(c);
      }
    }
    return out.toString();
  }

  /** The value {@link #text(String)} encoded; throws IllegalArgumentException on a bad escape. */
  static String untext(String field) {
    if (field.equals(NULL)) {
      return null;
    }
    if (field.indexOf('\\') < 0) {
      return field;
    }
    StringBuilder out = new StringBuilder(field.length());
    for (int i = 0; i < field.length(); i++) {
      char c = field.charAt(i);
      if (c != '\\') {
        out.append(c);
        continue;
      }
      if (++i >= field.length()) {
        throw new IllegalArgumentException("a lone backslash ends the field");
      }
      out.append(
          switch (field.charAt(i)) {
            case '\\' -> '\\';
            case 't' -> '\t';
            case 'n' -> '\n';
            case 'r' -> '\r';
            case 'k' -> KEY;
            case 'i' -> ITEM;
            default -> throw new IllegalArgumentException("unknown escape \\" + field.charAt(i));
          });
    }
    return out.toString();
  }

  static String list(List<String> values) {
    if (values == null) {
      return NULL;
    }
    StringBuilder out = new StringBuilder().append(values.size());
    values.forEach(v -> out.append(ITEM).append(text(v)));
    return out.toString();
  }

  static List<String> unlist(String field) {
    if (field.equals(NULL)) {
      return null;
    }
    String[] parts = field.split(String.valueOf(ITEM), -1);
    if (Integer.parseInt(parts[0]) != parts.length - 1) {
      throw new IllegalArgumentException("list size does not match its items");
    }
    List<String> values = new ArrayList<>(parts.length - 1);
    for (int i = 1; i < parts.length; i++) {
      values.add(untext(parts[i]));
    }
    return Collections.unmodifiableList(values);
  }

  static String map(Map<String, String> values) {
    if (values == null) {
      return NULL;
    }
    StringBuilder out = new StringBuilder().append(values.size());
    values.forEach((k, v) -> out.append(ITEM).append(text(k)).append(KEY).append(text(v)));
    return out.toString();
  }

  static Map<String, String> unmap(String field) {
    if (field.equals(NULL)) {
      return null;
    }
    String[] parts = field.split(String.valueOf(ITEM), -1);
    if (Integer.parseInt(parts[0]) != parts.length - 1) {
      throw new IllegalArgumentException("map size does not match its items");
    }
    Map<String, String> values = new LinkedHashMap<>();
    for (int i = 1; i < parts.length; i++) {
      int key = parts[i].indexOf(KEY);
      if (key < 0) {
        throw new IllegalArgumentException("a map item without a key");
      }
      values.put(untext(parts[i].substring(0, key)), untext(parts[i].substring(key + 1)));
    }
    return Collections.unmodifiableMap(values);
  }

  /**
   * CRC-32C of the line, in hex: catches a hand-edited or torn line cheaply (the JVM computes it
   * with a CPU instruction even in C1). It is no seal: anyone can recompute it, as anyone can
   * recompute the trail's chain; {@code audit verify} compares the entry with its trail.
   */
  static String crc(String body) {
    CRC32C crc = new CRC32C();
    crc.update(body.getBytes(StandardCharsets.UTF_8));
    String hex = Long.toHexString(crc.getValue());
    return "0".repeat(8 - hex.length()) + hex;
  }

  /** An instant as {@code SECONDS.NANOS} since the epoch: parsing ISO text costs more, cold. */
  static String instant(Instant value) {
    return value == null ? NULL : value.getEpochSecond() + "." + value.getNano();
  }

  static Instant uninstant(String field) {
    if (field.equals(NULL)) {
      return null;
    }
    int dot = field.indexOf('.');
    if (dot < 0) {
      throw new IllegalArgumentException("an instant without nanoseconds");
    }
    return Instant.ofEpochSecond(
        Long.parseLong(field.substring(0, dot)), Integer.parseInt(field.substring(dot + 1)));
  }
}
