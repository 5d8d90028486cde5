package dev.runbook.importer.document;

import java.util.List;

/**
 * One numbered step of a procedure.
 *
 * @param number the document's number for it: {@code "7"}, or {@code "1.d"} for a sub-step
 * @param labels the link targets on it ({@code alm-12017__li…}), which go-to links name
 * @param heading the bold sub-heading the step falls under ("Collect fault information."), or null
 * @param body what it says, in order: sentences, commands set apart, notes
 * @param cases its branches ("If yes, go to 2."), in order; empty when it has none
 * @param substeps its lettered sub-steps, in order
 */
public record DocStep(
    String number,
    List<String> labels,
    String heading,
    List<Part> body,
    List<Case> cases,
    List<DocStep> substeps) {

  public DocStep {
    labels = List.copyOf(labels);
    body = List.copyOf(body);
    cases = List.copyOf(cases);
    substeps = List.copyOf(substeps);
  }

  /** The step's sentences, in order. */
  public List<Part.Sentence> sentences() {
    return body.stream()
        .filter(Part.Sentence.class::isInstance)
        .map(Part.Sentence.class::cast)
        .toList();
  }

  /** Its text as a reader sees it, notes and command blocks included. */
  public String text() {
    StringBuilder out = new StringBuilder();
    for (Part part : body) {
      String piece = part.text();
      if (piece.isBlank()) {
        continue;
      }
      if (out.length() > 0) {
        out.append(part instanceof Part.Sentence && !(part.startsParagraph()) ? " " : "\n");
      }
      out.append(piece);
    }
    return out.toString();
  }

  void addTo(List<DocStep> all) {
    all.add(this);
    substeps.forEach(s -> s.addTo(all));
  }
}
