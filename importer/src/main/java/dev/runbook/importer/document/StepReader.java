package dev.runbook.importer.document;

import dev.runbook.importer.markup.Block;
import dev.runbook.importer.markup.Inline;
import dev.runbook.importer.read.DocumentFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One numbered item of a procedure as a {@link DocStep}: its labels, its sentences and the commands
 * they name, commands set apart in bold paragraphs or literal blocks (told from examples by the
 * sentence that introduces them), its cases (bullets or sentences that begin with a condition and
 * send the reader somewhere), and its lettered sub-steps.
 */
final class StepReader {

  private static final Pattern EXAMPLE_INTRO =
      Pattern.compile(
          "(?i)example|similar to|output|displayed|returned|result|as shown|information is|content|format");
  private static final Pattern STATEMENT_INTRO = Pattern.compile("(?i)\\bstatements?\\b|\\bsql\\b");
  private static final Pattern COMMAND_INTRO =
      Pattern.compile("(?i)\\b(run|execute|enter)\\b.*\\bcommands?\\b.*:\\s*$");
  private static final Pattern TRANSCRIPT =
      Pattern.compile("(?m)^\\s*(#|\\$|\\[[^\\]]*\\][$#]|>)\\s");
  private static final Set<String> SHELL_LANGUAGES =
      Set.of("", "bash", "sh", "shell", "zsh", "console", "shell-session");

  private final DocumentFormat format;

  StepReader(DocumentFormat format) {
    this.format = format;
  }

  DocStep read(String number, String heading, List<String> pendingLabels, List<Block> blocks) {
    List<String> labels = new ArrayList<>(pendingLabels);
    List<Part> body = new ArrayList<>();
    List<Case> cases = new ArrayList<>();
    List<DocStep> substeps = new ArrayList<>();
    boolean started = false;
    String intro = "";
    for (Block block : blocks) {
      if (block instanceof Block.Label label) {
        if (!started) {
          labels.add(label.name());
        }
        continue;
      }
      started = true;
      if (block instanceof Block.Paragraph paragraph) {
        intro = paragraph(paragraph, intro, body, cases);
      } else if (block instanceof Block.ItemList list && list.kind() == Block.ListKind.BULLET) {
        if (isCaseList(list)) {
          for (Block.Item item : list.items()) {
            if (isCaseItem(item)) {
              cases.addAll(casesOf(item.blocks()));
            } else {
              body.add(new Part.Note("- " + flatten(item.blocks())));
            }
          }
        } else {
          list.items().forEach(item -> body.add(new Part.Note("- " + flatten(item.blocks()))));
        }
      } else if (block instanceof Block.ItemList list) {
        for (Block.Item item : list.items()) {
          String sub = number + "." + item.marker().toLowerCase(Locale.ROOT);
          substeps.add(read(sub, null, List.of(), item.blocks()));
        }
      } else if (block instanceof Block.Literal literal) {
        body.add(literal(literal, intro));
      } else if (!(block instanceof Block.Heading)) {
        body.add(new Part.Note(flatten(List.of(block))));
      }
    }
    return new DocStep(number, labels, heading, body, cases, substeps);
  }

  /** Reads a paragraph into the step; returns the text that introduces what follows it. */
  private String paragraph(
      Block.Paragraph paragraph, String intro, List<Part> body, List<Case> cases) {
    if (paragraph.plain().strip().equals("the icon")) {
      return intro; // an image on its own
    }
    if (isCommandParagraph(paragraph.inlines())) {
      body.add(commandBlock(paragraph.inlines(), intro));
      return intro; // "Run the following commands:" introduces every one that follows
    }
    List<List<Inline>> sentences = Sentences.split(paragraph.inlines());
    int s = 0;
    boolean first = true;
    while (s < sentences.size()) {
      List<Inline> sentence = sentences.get(s);
      int end = caseEnd(sentences, s);
      if (end > s) {
        cases.add(caseOf(sentences.subList(s, end), List.of()));
        s = end;
        continue;
      }
      body.add(sentence(sentence, first));
      first = false;
      s++;
    }
    return paragraph.plain();
  }

  /**
   * When sentences[s] begins a case ("If yes, go to 2.", "If no, the disk is not a system disk.
   * Then go to 7."), the index after its last sentence; else s. A case runs on to the next sentence
   * that begins with a condition.
   */
  private static int caseEnd(List<List<Inline>> sentences, int s) {
    Conditions.Head head = Conditions.head(Inline.plain(sentences.get(s)));
    if (head == null) {
      return s;
    }
    int end = s + 1;
    while (end < sentences.size() && Conditions.head(Inline.plain(sentences.get(end))) == null) {
      end++;
    }
    boolean leads = head.polarity() != Case.Polarity.OTHER;
    for (int k = s; k < end && !leads; k++) {
      leads = leadsSomewhere(sentences.get(k));
    }
    return leads ? end : s;
  }

  private static boolean leadsSomewhere(List<Inline> sentence) {
    return Outcomes.goTo(sentence) != null
        || Outcomes.ending(Inline.plain(sentence).strip()) != Case.Ending.NONE;
  }

  private static boolean isCaseList(Block.ItemList list) {
    return list.items().stream().anyMatch(StepReader::isCaseItem);
  }

  /** A bullet that begins with a condition and leads somewhere: "If yes, go to 2." */
  private static boolean isCaseItem(Block.Item item) {
    List<Inline> first = firstParagraph(item.blocks());
    if (first == null) {
      return false;
    }
    List<List<Inline>> sentences = Sentences.split(first);
    if (sentences.isEmpty()) {
      return false;
    }
    if (caseEnd(sentences, 0) > 0) {
      return true;
    }
    // "If yes, check whether the job is abnormal." with its own cases below it
    return Conditions.head(Inline.plain(sentences.get(0))) != null
        && item.blocks().stream().anyMatch(b -> b instanceof Block.ItemList l && isCaseList(l));
  }

  private static List<Inline> firstParagraph(List<Block> blocks) {
    for (Block block : blocks) {
      if (block instanceof Block.Paragraph p) {
        return p.inlines();
      }
    }
    return null;
  }

  /** A bullet case: its paragraphs, and nested bullets as nested cases. */
  /**
   * The cases of a bullet: usually one, with nested bullets as nested cases; two when the bullet
   * holds both ("If yes, go to 4. If no, go to 6."): a condition after a case that already leads
   * somewhere is its sibling, not a case inside it.
   */
  private List<Case> casesOf(List<Block> blocks) {
    List<List<Inline>> sentences = new ArrayList<>();
    List<Case> nested = new ArrayList<>();
    for (Block block : blocks) {
      if (block instanceof Block.Paragraph p) {
        sentences.addAll(Sentences.split(p.inlines()));
      } else if (block instanceof Block.ItemList list && isCaseList(list)) {
        list.items().forEach(item -> nested.addAll(casesOf(item.blocks())));
      }
    }
    List<Case> siblings = new ArrayList<>();
    int from = 0;
    boolean leads = false;
    for (int s = 0; s < sentences.size(); s++) {
      if (s > from && Conditions.head(Inline.plain(sentences.get(s))) != null) {
        if (!leads) {
          break; // "If yes, the alarm is cleared automatically. If it persists, go to 8.": nested
        }
        siblings.add(caseOf(sentences.subList(from, s), List.of()));
        from = s;
        leads = false;
      }
      leads |= leadsSomewhere(sentences.get(s));
    }
    siblings.add(caseOf(sentences.subList(from, sentences.size()), nested));
    return siblings;
  }

  /**
   * A case from its sentences: the condition is cut from the first; later sentences that begin with
   * a condition of their own and lead somewhere are nested cases ("If yes, the alarm is
   * automatically cleared. If the alarm is cleared, no further action is required. If the alarm
   * persists, go to 8.").
   */
  private Case caseOf(List<List<Inline>> sentences, List<Case> nestedCases) {
    List<Case> nested = new ArrayList<>(nestedCases);
    String keyword = "if";
    String condition = "";
    Case.Polarity polarity = Case.Polarity.OTHER;
    List<List<Inline>> own = new ArrayList<>();
    if (!sentences.isEmpty()) {
      List<Inline> first = sentences.get(0);
      Conditions.Head head = Conditions.head(Inline.plain(first));
      if (head != null) {
        keyword = head.keyword();
        condition = head.condition();
        polarity = head.polarity();
        List<Inline> rest = Conditions.after(first, head.end());
        if (!Inline.plain(rest).isBlank()) {
          own.add(rest);
        }
      } else {
        own.add(first);
      }
    }
    int s = 1;
    while (s < sentences.size()) {
      int end = caseEnd(sentences, s);
      if (end > s) {
        nested.add(caseOf(sentences.subList(s, end), List.of()));
        s = end;
      } else {
        own.add(sentences.get(s));
        s++;
      }
    }
    GoTo goTo = null;
    Case.Ending ending = Case.Ending.NONE;
    List<Part.Sentence> parts = new ArrayList<>();
    for (List<Inline> sentence : own) {
      parts.add(sentence(sentence, false));
      if (goTo == null) {
        goTo = Outcomes.goTo(sentence);
      }
      Case.Ending e = Outcomes.ending(Inline.plain(sentence).strip());
      if (ending == Case.Ending.NONE) {
        ending = e;
      }
    }
    return new Case(keyword, condition, polarity, parts, nested, goTo, ending);
  }

  private Part.Sentence sentence(List<Inline> inlines, boolean startsParagraph) {
    return new Part.Sentence(
        inlines, CommandSpans.of(inlines, format != DocumentFormat.PLAIN_TEXT), startsParagraph);
  }

  /** A paragraph of commands only: bold or code spans, placeholders, and nothing in between. */
  static boolean isCommandParagraph(List<Inline> inlines) {
    boolean command = false;
    for (int i = 0; i < inlines.size(); i++) {
      Inline span = inlines.get(i);
      if (span instanceof Inline.Strong || span instanceof Inline.Code) {
        command = true;
      } else if (span instanceof Inline.Text text) {
        String t = text.text().strip();
        if (!t.isEmpty() && (t.contains(" ") || i == 0 && !t.startsWith("/"))) {
          return false;
        }
      } else if (!(span instanceof Inline.Emphasis)) {
        return false;
      }
    }
    if (!command) {
      return false;
    }
    String plain = Inline.plain(inlines).strip();
    // A bold sentence ("**Collect fault information.**") is a heading, not a command.
    return !(Character.isUpperCase(plain.charAt(0)) && plain.endsWith(".") && plain.contains(" "));
  }

  private Part.CommandBlock commandBlock(List<Inline> inlines, String intro) {
    StringBuilder text = new StringBuilder();
    List<String> placeholders = new ArrayList<>();
    for (Inline span : inlines) {
      if (span instanceof Inline.Emphasis e) {
        placeholders.add(e.text().strip());
        text.append('<').append(e.text().strip()).append('>');
      } else {
        text.append(span.text());
      }
    }
    String line = text.toString().replaceAll("\\s+", " ").strip();
    placeholders.addAll(
        CommandSpans.placeholders(line).stream().filter(p -> !placeholders.contains(p)).toList());
    return new Part.CommandBlock(line, kindOf(intro), placeholders);
  }

  private static Part.BlockKind kindOf(String intro) {
    if (STATEMENT_INTRO.matcher(intro).find()) {
      return Part.BlockKind.STATEMENT;
    }
    if (EXAMPLE_INTRO.matcher(intro).find()) {
      return Part.BlockKind.EXAMPLE;
    }
    return Part.BlockKind.SHELL;
  }

  private Part literal(Block.Literal literal, String intro) {
    String text = literal.text();
    boolean shell;
    if (format == DocumentFormat.MARKDOWN) {
      shell =
          SHELL_LANGUAGES.contains(literal.language().toLowerCase(Locale.ROOT))
              && !EXAMPLE_INTRO.matcher(intro).find();
    } else {
      shell =
          COMMAND_INTRO.matcher(intro.strip()).find()
              && !EXAMPLE_INTRO.matcher(intro).find()
              && !TRANSCRIPT.matcher(text).find();
    }
    if (!shell) {
      return new Part.CommandBlock(
          text,
          kindOf(intro).equals(Part.BlockKind.SHELL) ? Part.BlockKind.EXAMPLE : kindOf(intro),
          List.of());
    }
    return new Part.CommandBlock(text, Part.BlockKind.SHELL, CommandSpans.placeholders(text));
  }

  /** The plain text of blocks, for notes. */
  static String flatten(List<Block> blocks) {
    List<String> parts = new ArrayList<>();
    for (Block block : blocks) {
      if (block instanceof Block.Paragraph p) {
        parts.add(p.plain().strip());
      } else if (block instanceof Block.ItemList l) {
        l.items().forEach(i -> parts.add("- " + flatten(i.blocks())));
      } else if (block instanceof Block.Literal l) {
        parts.add(l.text());
      } else if (block instanceof Block.Directive d) {
        parts.add(flatten(d.blocks()));
      } else if (block instanceof Block.Table t) {
        t.rows().forEach(r -> parts.add(String.join(" | ", r)));
      }
    }
    return String.join("\n", parts.stream().filter(p -> !p.isBlank()).toList());
  }
}
