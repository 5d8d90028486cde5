package dev.runbook.importer.document;

import dev.runbook.importer.markup.Inline;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The words that move a reader through a procedure: go-to links ("go to :ref:`9 <…>`", "Then go to
 * 7", "perform 5", "goto 7"), the end of the procedure ("No further action is required.") and the
 * hand-over to people ("Contact O&M personnel.").
 */
public final class Outcomes {

  private static final String GO_VERB =
      "(?:go\\s*to|goto|perform|repeat|proceed\\s+(?:to|with)|continue\\s+(?:with|from|to)|skip\\s+to|return\\s+to|jump\\s+to)";
  private static final Pattern GO_BEFORE_LINK =
      Pattern.compile("(?i)\\b" + GO_VERB + "(?:\\s+the)?(?:\\s+steps?)?\\s*$");
  private static final Pattern PLAIN_GO_TO =
      Pattern.compile(
          "(?i)\\b"
              + GO_VERB
              + "\\s+(?:the\\s+)?(?:steps?\\s+)?(\\d{1,3}(?:\\.[a-z0-9]{1,3})?)(?![\\w%-])");
  private static final Pattern RESOLVED =
      Pattern.compile(
          "(?i)no\\s+further\\s+(?:action|operation|handling|step)s?\\s+(?:is|are)\\s+(?:required|needed)"
              + "|(?:alarm\\s+)?handling\\s+(?:is|has\\s+been)\\s+(?:complete|completed|finished)"
              + "|the\\s+procedure\\s+(?:ends|is\\s+complete)");
  private static final Pattern ESCALATED =
      Pattern.compile(
          "(?i)^(?:then,?\\s+|and\\s+)?contact\\s+(?:the\\s+)?(?:o&m|technical\\s+support|huawei\\s+technical\\s+support|customer\\s+service|maintenance\\s+(?:personnel|engineers)|the\\s+o&m)");

  private Outcomes() {}

  /** The first go-to of a sentence, or null. */
  public static GoTo goTo(List<Inline> sentence) {
    StringBuilder before = new StringBuilder();
    for (Inline span : sentence) {
      if (span instanceof Inline.Ref ref && GO_BEFORE_LINK.matcher(before).find()) {
        return new GoTo(number(ref.text()), ref.label());
      }
      before.append(span.text());
    }
    Matcher plain = PLAIN_GO_TO.matcher(Inline.plain(sentence));
    return plain.find() ? new GoTo(plain.group(1), null) : null;
  }

  /** Every go-to of a sentence, in order: "Perform 6 to 7" names two. */
  public static List<GoTo> goTos(List<Inline> sentence) {
    List<GoTo> found = new ArrayList<>();
    boolean going = false;
    StringBuilder before = new StringBuilder();
    for (Inline span : sentence) {
      if (span instanceof Inline.Ref ref) {
        String b = before.toString();
        if (GO_BEFORE_LINK.matcher(b).find()
            || going && b.strip().matches("(?i)(to|and|-|~|through)")) {
          found.add(new GoTo(number(ref.text()), ref.label()));
          going = true;
          before.setLength(0);
          continue;
        }
        going = false;
      }
      before.append(span.text());
    }
    if (found.isEmpty()) {
      GoTo plain = goTo(sentence);
      if (plain != null) {
        found.add(plain);
      }
    }
    return found;
  }

  private static final Pattern STEP_NUMBER =
      Pattern.compile("(?i)^(?:step\\s+)?(\\d{1,3}(?:\\.[a-z0-9]{1,3})?)\\.?$");

  /** A link's text as a step number: "Step 5" and "5." are 5; other text is kept as it is. */
  static String number(String text) {
    Matcher m = STEP_NUMBER.matcher(text.strip());
    return m.matches() ? m.group(1) : text.strip();
  }

  /** How a sentence ends the procedure, if it does. */
  public static Case.Ending ending(String sentence) {
    if (RESOLVED.matcher(sentence).find()) {
      return Case.Ending.RESOLVED;
    }
    if (ESCALATED.matcher(sentence.strip()).find()) {
      return Case.Ending.ESCALATED;
    }
    return Case.Ending.NONE;
  }
}
