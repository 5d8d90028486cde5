package dev.runbook.importer;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Whatever the document, the runbook parses and validates and the import does not crash: every test
 * document, and 400 damaged copies of them (lines dropped, swapped, doubled, go-tos pointing
 * anywhere, backwards, or nowhere; cases turned round; documents cut short), made from a fixed seed
 * so that a failure can be reproduced.
 */
class EveryOutputValidatesTest {

  private static final List<String> DOCUMENTS =
      List.of(
          "mrs_3.x__alm-99017_spool_disk_usage_exceeds_the_threshold.rst",
          "versions_earlier_than_mrs_3.x__alm-99017_spool_disk_usage_is_high.rst",
          "mrs-alm-99654-spool-certificate.txt",
          "spool-disk-filling-up.md",
          "notes-without-steps.txt");
  private static final Pattern REF_NUMBER = Pattern.compile(":ref:`(\\d+)( <)");
  private static final Pattern PLAIN_NUMBER = Pattern.compile("(go to (?:step )?)(\\d+)");

  @Test
  void everyTestDocument() {
    for (String name : DOCUMENTS) {
      Imports.resource(name);
    }
  }

  @Test
  void damagedDocuments() {
    Random random = new Random(20240601L);
    int imported = 0;
    for (int round = 0; round < 400; round++) {
      String name = DOCUMENTS.get(round % DOCUMENTS.size());
      String text = damage(read(name), random);
      String label = "round " + round + " of " + name;
      try {
        Imports.text(name, text);
        imported++;
      } catch (AssertionError e) {
        if (e.getCause() instanceof ImportException ie
            && ie.getMessage().endsWith("the document is empty")) {
          continue;
        }
        throw new AssertionError(label + ":\n" + text, e);
      } catch (RuntimeException e) {
        throw new AssertionError(label + " crashed the importer:\n" + text, e);
      }
    }
    assertThat(imported).isGreaterThan(390);
  }

  private static String damage(String text, Random random) {
    List<String> lines = new ArrayList<>(List.of(text.split("\n", -1)));
    int cuts = 1 + random.nextInt(4);
    for (int c = 0; c < cuts && !lines.isEmpty(); c++) {
      int at = random.nextInt(lines.size());
      switch (random.nextInt(7)) {
        case 0 -> lines.remove(at);
        case 1 -> {
          if (at + 1 < lines.size()) {
            String line = lines.get(at);
            lines.set(at, lines.get(at + 1));
            lines.set(at + 1, line);
          }
        }
        case 2 -> lines.add(at, lines.get(at));
        case 3 -> lines.subList(Math.max(1, at), lines.size()).clear();
        case 4 ->
            lines.set(at, lines.get(at).replace("If yes", "If no").replace("If it is,", "If no,"));
        case 5 -> lines.set(at, renumber(lines.get(at), random));
        default -> {
          for (int i = 0; i < lines.size(); i++) {
            lines.set(i, renumber(lines.get(i), random));
          }
        }
      }
    }
    return String.join("\n", lines);
  }

  private static String renumber(String line, Random random) {
    Matcher ref = REF_NUMBER.matcher(line);
    String out = ref.replaceAll(m -> ":ref:`" + (random.nextInt(14) + 1) + m.group(2));
    Matcher plain = PLAIN_NUMBER.matcher(out);
    return plain.replaceAll(m -> m.group(1) + (random.nextInt(14) + 1));
  }

  private static String read(String name) {
    try (InputStream in =
        EveryOutputValidatesTest.class.getResourceAsStream("/documents/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }
}
