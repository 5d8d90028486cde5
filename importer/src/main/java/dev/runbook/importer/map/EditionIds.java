package dev.runbook.importer.map;

import dev.runbook.importer.document.Document;
import dev.runbook.importer.document.Edition;
import java.util.List;
import java.util.Locale;

/**
 * Runbook ids and alarm ids, so that two editions of one alarm never claim the same name. The MRS
 * 3.x edition (and a document that names no edition) is {@code ALM-12042} and answers to {@code
 * ALM-12042} and {@code 12042}, so {@code runbook run ALM-12042} always picks it; the edition for
 * versions earlier than 3.x is {@code ALM-12042-pre3} and answers only to that and to {@code
 * ALM-12042@pre-3.x}. A document about no alarm takes its id from its file name.
 */
final class EditionIds {

  private EditionIds() {}

  record Ids(String id, List<String> alarms) {}

  static Ids of(Document doc) {
    if (doc.alarmId() == null) {
      return new Ids(fromFileName(doc.fileName()), List.of());
    }
    String alarm = "ALM-" + doc.alarmId();
    if (doc.edition() == Edition.PRE_3) {
      return new Ids(alarm + "-pre3", List.of(alarm + "@" + Edition.PRE_3.option()));
    }
    return new Ids(alarm, List.of(alarm, doc.alarmId()));
  }

  static String fromFileName(String fileName) {
    String base = fileName.replaceFirst("\\.[A-Za-z]+$", "");
    String id =
        base.toUpperCase(Locale.ROOT)
            .replaceAll("[^A-Z0-9._-]+", "-")
            .replaceAll("^[^A-Z0-9]+|-+$", "");
    return id.isEmpty() ? "IMPORTED" : id;
  }
}
