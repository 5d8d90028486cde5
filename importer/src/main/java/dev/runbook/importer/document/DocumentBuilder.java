package dev.runbook.importer.document;

import dev.runbook.importer.markup.Block;
import dev.runbook.importer.read.DocumentFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a {@link Document} from a document's blocks: the title and alarm id, the attribute table
 * (severity), the parameter table, the description, the edition (from the file name, the breadcrumb
 * or the title) and the numbered procedure.
 */
public final class DocumentBuilder {

  private static final Pattern ALARM = Pattern.compile("(?i)\\bALM[-_ ]?(\\d{3,6})\\b");
  private static final Pattern PROCEDURE =
      Pattern.compile(
          "(?i)procedure|handling|\\bsteps\\b|instructions|troubleshoot|resolution|solution");
  private static final Pattern APPLIES =
      Pattern.compile(
          "(?i)\\b(?:MRS|FusionInsight|versions?)\\s+\\d[\\w.-]*(?:\\s+or\\s+(?:later|earlier))?");
  private static final List<String> SEVERITIES =
      List.of("critical", "major", "minor", "warning", "suggestion", "info");

  private DocumentBuilder() {}

  /**
   * @param fileName the file's name, which may say the edition
   * @param edition the edition to use whatever the document says, or null to read it
   */
  public static Document build(
      String fileName, DocumentFormat format, List<Block> blocks, Edition edition) {
    String page = null;
    String anchor = null;
    String breadcrumb = "";
    String title = null;
    List<Section> sections = new ArrayList<>();
    Section current = new Section("");
    List<Block> preamble = new ArrayList<>();
    for (Block block : blocks) {
      if (block instanceof Block.Field field) {
        if (field.name().equals("original_name")) {
          page = field.value();
        } else if (field.name().equals("breadcrumb")) {
          breadcrumb = field.value();
        }
      } else if (block instanceof Block.Label label && title == null && anchor == null) {
        anchor = label.name();
      } else if (block instanceof Block.Heading h && title == null) {
        title = h.title();
      } else if (block instanceof Block.Heading h && h.level() <= 2) {
        sections.add(current);
        current = new Section(h.title());
      } else {
        (title == null || sections.isEmpty() && current.name.isEmpty() ? preamble : current.blocks)
            .add(block);
      }
    }
    sections.add(current);
    if (title == null) {
      title = fileName;
    }
    String alarmId = alarmId(title, anchor, page, fileName);
    Section procedure = procedureSection(sections);
    List<DocStep> steps =
        procedure == null ? List.of() : new ProcedureReader(format).read(procedure.blocks);
    return new Document(
        fileName,
        format,
        title,
        alarmId,
        severity(sections),
        edition != null ? edition : edition(fileName, breadcrumb + " " + title),
        applies(preamble, sections),
        page,
        anchor,
        description(sections),
        params(sections),
        steps);
  }

  private static final class Section {
    final String name;
    final List<Block> blocks = new ArrayList<>();

    Section(String name) {
      this.name = name;
    }

    boolean named(String pattern) {
      return Pattern.compile(pattern, Pattern.CASE_INSENSITIVE).matcher(name).find();
    }
  }

  private static String alarmId(String... places) {
    for (String place : places) {
      if (place != null) {
        Matcher m = ALARM.matcher(place);
        if (m.find()) {
          return m.group(1);
        }
      }
    }
    return null;
  }

  static Edition edition(String fileName, String words) {
    String name = fileName.toLowerCase(Locale.ROOT);
    String text = words.toLowerCase(Locale.ROOT);
    if (name.contains("earlier_than")
        || name.contains("earlier-than")
        || text.contains("earlier than mrs 3")) {
      return Edition.PRE_3;
    }
    return Edition.CURRENT;
  }

  private static Section procedureSection(List<Section> sections) {
    Section firstWithList = null;
    for (Section section : sections) {
      boolean hasSteps = section.blocks.stream().anyMatch(DocumentBuilder::isStepList);
      if (hasSteps && section.named(PROCEDURE.pattern())) {
        return section;
      }
      if (hasSteps
          && firstWithList == null
          && !section.named("related|reference|description|cause")) {
        firstWithList = section;
      }
    }
    if (firstWithList != null) {
      return firstWithList;
    }
    for (Section section : sections) {
      if (section.named(PROCEDURE.pattern())) {
        return section; // a procedure in prose: no steps, and the importer says so
      }
    }
    return null;
  }

  private static boolean isStepList(Block block) {
    return block instanceof Block.ItemList list && list.kind() != Block.ListKind.BULLET
        || block instanceof Block.Heading h && h.title().matches("\\d{1,3}[.)]\\s+.*");
  }

  private static String severity(List<Section> sections) {
    for (Section section : sections) {
      if (!section.named("attribute")) {
        continue;
      }
      for (Block block : section.blocks) {
        if (block instanceof Block.Table table && table.rows().size() > 1) {
          List<String> header = table.rows().get(0);
          for (int c = 0; c < header.size(); c++) {
            if (header.get(c).toLowerCase(Locale.ROOT).contains("severity")) {
              return word(table.rows().get(1).get(c));
            }
          }
        } else if (block instanceof Block.Paragraph p) {
          String w = word(p.plain());
          if (w != null) {
            return w;
          }
        }
      }
    }
    return null;
  }

  private static String word(String cell) {
    String w = cell.strip();
    return SEVERITIES.contains(w.toLowerCase(Locale.ROOT)) ? w : null;
  }

  private static List<ParamRow> params(List<Section> sections) {
    List<ParamRow> rows = new ArrayList<>();
    for (Section section : sections) {
      if (!section.named("parameter")) {
        continue;
      }
      List<String> cells = new ArrayList<>();
      for (Block block : section.blocks) {
        if (block instanceof Block.Table table && !table.rows().isEmpty()) {
          tableParams(table, rows);
        } else if (block instanceof Block.Paragraph p) {
          cells.add(p.plain().strip());
        }
      }
      // A copied page's table is one cell per line: name, then what it means.
      for (int i = 0; i + 1 < cells.size(); i++) {
        if (cells.get(i).matches("[A-Za-z][A-Za-z0-9_ ]{0,40}")
            && cells.get(i + 1).toLowerCase(Locale.ROOT).startsWith("specifies")) {
          rows.add(new ParamRow(cells.get(i), cells.get(i + 1)));
          i++;
        }
      }
    }
    return rows;
  }

  private static void tableParams(Block.Table table, List<ParamRow> rows) {
    List<String> header = table.rows().get(0);
    int name = -1;
    int meaning = -1;
    for (int c = 0; c < header.size(); c++) {
      String h = header.get(c).toLowerCase(Locale.ROOT);
      if (name < 0 && (h.equals("name") || h.equals("parameter") || h.equals("parameter name"))) {
        name = c;
      } else if (meaning < 0 && (h.contains("meaning") || h.contains("description"))) {
        meaning = c;
      }
    }
    if (name < 0) {
      return;
    }
    for (List<String> row : table.rows().subList(1, table.rows().size())) {
      if (name < row.size() && !row.get(name).isBlank()) {
        rows.add(
            new ParamRow(
                row.get(name), meaning >= 0 && meaning < row.size() ? row.get(meaning) : ""));
      }
    }
  }

  private static String description(List<Section> sections) {
    for (Section section : sections) {
      if (section.named("^(alarm )?description$|^overview$")) {
        List<String> paragraphs = new ArrayList<>();
        for (Block block : section.blocks) {
          if (block instanceof Block.Paragraph p) {
            paragraphs.add(p.plain().strip());
          }
        }
        return String.join("\n\n", paragraphs);
      }
    }
    return "";
  }

  private static String applies(List<Block> preamble, List<Section> sections) {
    List<Block> look = new ArrayList<>(preamble);
    sections.stream().limit(2).forEach(s -> look.addAll(s.blocks));
    for (Block block : look) {
      String text = "";
      if (block instanceof Block.Directive d) {
        text = StepReader.flatten(d.blocks());
      } else if (block instanceof Block.Paragraph p) {
        text = p.plain();
      }
      if (text.toLowerCase(Locale.ROOT).matches("(?s).*\\b(applies|available|applicable)\\b.*")) {
        Matcher m = APPLIES.matcher(text);
        if (m.find()) {
          return m.group().strip();
        }
      }
    }
    return null;
  }
}
