package dev.runbook.importer.document;

import dev.runbook.importer.read.DocumentFormat;
import java.util.ArrayList;
import java.util.List;

/**
 * A vendor document.
 *
 * @param fileName the file it was read from (no directories)
 * @param format how it was written
 * @param title its title as written ("ALM-12017 Insufficient Disk Capacity")
 * @param alarmId the alarm number ("12017"), or null for a document about no alarm
 * @param severity the alarm's severity as the document says it ("Major"), or null
 * @param edition which product versions it is for
 * @param applies a narrower statement of versions ("MRS 3.3.1-LTS or later"), or null
 * @param page the document's own page ({@code :original_name:}), or null
 * @param anchor the label of the document's top ({@code .. _ALM-12017:}), or null
 * @param description the alarm's description, or empty
 * @param params the rows of the alarm's parameter table
 * @param steps the numbered procedure; empty when the document has none
 */
public record Document(
    String fileName,
    DocumentFormat format,
    String title,
    String alarmId,
    String severity,
    Edition edition,
    String applies,
    String page,
    String anchor,
    String description,
    List<ParamRow> params,
    List<DocStep> steps) {

  public Document {
    params = List.copyOf(params);
    steps = List.copyOf(steps);
  }

  /** Every step and sub-step, in document order. */
  public List<DocStep> allSteps() {
    List<DocStep> all = new ArrayList<>();
    steps.forEach(s -> s.addTo(all));
    return all;
  }
}
