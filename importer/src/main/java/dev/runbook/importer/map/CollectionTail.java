package dev.runbook.importer.map;

import dev.runbook.importer.document.DocStep;
import dev.runbook.importer.document.Part;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The "Collect fault information" tail of an alarm procedure: the steps that download logs (menu,
 * service, hosts, time window) become one call of {@code collect-fault-information}, whose {@code
 * ref} is the first of them, the number the document's go-tos name. The step that hands over to O&M
 * personnel stays a step of its own. A tail that a go-to enters in the middle, or whose steps say
 * something else, is left as it is.
 */
final class CollectionTail {

  private static final Pattern HEADING =
      Pattern.compile("(?i)collect(?:ing)?\\s+(?:the\\s+)?(?:fault|log|logs)\\b");
  private static final Pattern COLLECTION_WORDS =
      Pattern.compile(
          "(?i)\\b(log\\s*>\\s*download|export\\s+log|services?\\b|hosts?\\b|start\\s+date|end\\s+date|download|navigation\\s+pane|click\\s+ok|choose\\s+o&m|drop-down)");
  private static final Pattern SERVICES =
      Pattern.compile(
          "(?i)\\bselect\\s+(.+?)\\s+(?:from|for|in)\\s+(?:the\\s+)?(?:service\\b|target\\s+cluster|required\\s+cluster)|services\\s+area,\\s+select\\s+(.+?),?\\s+and\\s+click");
  private static final Pattern HOSTS =
      Pattern.compile(
          "(?i)\\bset\\s+host\\s+to\\s+(.+?)\\.|\\bselect\\s+(the\\s+(?:alarm|abnormal|faulty)[^,.]*?(?:node|host)[^,.]*)");
  private static final Pattern WINDOW =
      Pattern.compile(
          "(?i)(\\d+\\s+(?:minutes?|hours?)|an?\\s+hour|one\\s+hour)\\s+(?:ahead\\s+of|before)");

  /** A run of steps that becomes one call. */
  record Fold(
      DocStep first, String ref, List<DocStep> steps, SharedProcedures.Collection collection) {}

  private CollectionTail() {}

  /**
   * The folds of a procedure.
   *
   * @param targets the numbers of the steps go-tos name
   */
  static List<Fold> find(List<DocStep> steps, Set<String> targets) {
    List<Fold> folds = new ArrayList<>();
    List<DocStep> all = new ArrayList<>();
    steps.forEach(s -> all.addAll(flat(s)));
    for (int i = 0; i < all.size(); i++) {
      DocStep step = all.get(i);
      boolean parentTail =
          !step.substeps().isEmpty()
              && HEADING.matcher(step.text()).find()
              && step.text().length() < 60;
      boolean headingTail =
          step.heading() != null
              && HEADING.matcher(step.heading()).find()
              && (i == 0
                  || all.get(i - 1).heading() == null
                  || !step.heading().equals(all.get(i - 1).heading()));
      if (!parentTail && !headingTail) {
        continue;
      }
      int from = parentTail ? i + 1 : i;
      List<DocStep> run = new ArrayList<>();
      int j = from;
      while (j < all.size()
          && foldable(all.get(j))
          && (parentTail ? all.get(j).number().startsWith(step.number() + ".") : true)) {
        run.add(all.get(j));
        j++;
      }
      if (run.isEmpty()) {
        continue;
      }
      boolean enteredInside =
          run.stream().skip(parentTail ? 0 : 1).anyMatch(s -> targets.contains(s.number()));
      if (enteredInside) {
        continue;
      }
      List<DocStep> folded = new ArrayList<>(run);
      if (parentTail) {
        folded.add(0, step);
      }
      folds.add(new Fold(folded.get(0), folded.get(0).number(), folded, collection(run)));
      i = j - 1;
    }
    return folds;
  }

  private static List<DocStep> flat(DocStep step) {
    List<DocStep> out = new ArrayList<>();
    out.add(step);
    step.substeps().forEach(s -> out.addAll(flat(s)));
    return out;
  }

  private static boolean foldable(DocStep step) {
    if (!step.cases().isEmpty() || !step.substeps().isEmpty() || step.sentences().isEmpty()) {
      return false;
    }
    for (Part.Sentence sentence : step.sentences()) {
      String text = sentence.text();
      if (!COLLECTION_WORDS.matcher(text).find() || text.matches("(?is)^\\s*contact\\b.*")) {
        return false;
      }
    }
    return step.body().stream().noneMatch(p -> p instanceof Part.CommandBlock);
  }

  private static SharedProcedures.Collection collection(List<DocStep> run) {
    String how = run.get(0).text().replaceAll("\\s+", " ").strip();
    StringBuilder all = new StringBuilder();
    run.forEach(s -> all.append(s.text()).append(' '));
    String text = all.toString();
    return new SharedProcedures.Collection(
        how, first(SERVICES, text), first(HOSTS, text), first(WINDOW, text));
  }

  private static String first(Pattern pattern, String text) {
    Matcher m = pattern.matcher(text);
    if (!m.find()) {
      return null;
    }
    for (int g = 1; g <= m.groupCount(); g++) {
      if (m.group(g) != null) {
        return m.group(g).strip();
      }
    }
    return null;
  }
}
