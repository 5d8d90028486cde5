package dev.runbook.importer.map;

import dev.runbook.importer.document.Case;
import dev.runbook.importer.document.DocStep;
import dev.runbook.importer.document.Document;
import dev.runbook.importer.document.Edition;
import dev.runbook.importer.document.ParamRow;
import dev.runbook.importer.draft.Flow;
import dev.runbook.importer.draft.ParamDraft;
import dev.runbook.importer.draft.RunbookDraft;
import dev.runbook.importer.draft.SourceDraft;
import dev.runbook.importer.draft.StepDraft;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** A {@link Document} as a {@link RunbookDraft}. One instance maps one document. */
public final class RunbookMapper {

  private final Document doc;
  private final EditionIds.Ids names;
  private final String alarm;
  private final Hosts hosts = new Hosts();
  private final StepIds ids = new StepIds(Set.of());
  private final SharedProcedures shared = new SharedProcedures();
  private final List<String> notes = new ArrayList<>();

  private RunbookMapper(Document doc) {
    this.doc = doc;
    this.names = EditionIds.of(doc);
    this.alarm = doc.alarmId() == null ? names.id() : "ALM-" + doc.alarmId();
  }

  public static RunbookDraft map(Document doc) {
    return new RunbookMapper(doc).map();
  }

  private RunbookDraft map() {
    Map<String, ParamDraft> tableParams = tableParams();
    List<StepDraft> steps = steps(tableParams.keySet());
    List<ParamDraft> params = new ArrayList<>();
    boolean alarmHost = hosts.usesAlarmHost();
    if (alarmHost && !tableParams.containsKey(Hosts.ALARM_HOST_PARAM)) {
      params.add(
          new ParamDraft(
              Hosts.ALARM_HOST_PARAM,
              "host",
              true,
              null,
              "The host for which the alarm is generated."));
    }
    for (ParamDraft p : tableParams.values()) {
      boolean required = alarmHost && p.name().equals(Hosts.ALARM_HOST_PARAM);
      params.add(new ParamDraft(p.name(), p.type(), required, null, p.doc()));
    }
    for (ParamDraft p : hosts.hostParams()) {
      if (params.stream().noneMatch(q -> q.name().equals(p.name()))) {
        params.add(p);
      }
    }
    List<String> header = new ArrayList<>();
    header.add(
        "Imported by 'runbook import' from " + doc.fileName() + " (" + doc.format().label() + ").");
    if (doc.edition() == Edition.PRE_3 && doc.alarmId() != null) {
      header.add(
          "The edition for "
              + Edition.PRE_3.label()
              + ": run it as "
              + names.id()
              + "; ALM-"
              + doc.alarmId()
              + " selects the MRS 3.x edition.");
    }
    header.addAll(notes);
    return new RunbookDraft(
        names.id(),
        title(),
        doc.description(),
        source(),
        names.alarms(),
        severity(),
        params,
        hosts.targets(),
        shared.procedures(),
        steps,
        header);
  }

  private String title() {
    String t = doc.title().replaceFirst("(?i)^ALM[-_ ]?\\d+\\s*[:-]?\\s*", "").strip();
    return t.isEmpty() ? doc.title() : t;
  }

  private SourceDraft source() {
    String applies =
        doc.alarmId() == null && doc.edition() == Edition.CURRENT
            ? doc.applies()
            : doc.edition().label() + (doc.applies() == null ? "" : " (" + doc.applies() + ")");
    String url = null;
    if (doc.page() != null) {
      url = doc.page() + (doc.anchor() == null ? "" : "#" + doc.anchor());
    } else if (doc.anchor() != null) {
      url = "#" + doc.anchor();
    }
    return new SourceDraft(doc.fileName(), doc.title(), applies, url);
  }

  private String severity() {
    if (doc.severity() == null) {
      return null;
    }
    String s = doc.severity().toLowerCase(Locale.ROOT);
    return s.equals("suggestion") ? "info" : s;
  }

  private Map<String, ParamDraft> tableParams() {
    Map<String, ParamDraft> params = new LinkedHashMap<>();
    for (ParamRow row : doc.params()) {
      String name = row.name().replaceAll("[^A-Za-z0-9_]", "");
      if (name.isEmpty() || Character.isDigit(name.charAt(0)) || params.containsKey(name)) {
        continue;
      }
      String type = name.equals(Hosts.ALARM_HOST_PARAM) ? "host" : "string";
      String meaning =
          row.meaning().length() > 200 ? row.meaning().substring(0, 197) + "…" : row.meaning();
      params.put(name, new ParamDraft(name, type, false, null, meaning));
    }
    return params;
  }

  private List<StepDraft> steps(Set<String> paramNames) {
    if (doc.steps().isEmpty()) {
      return List.of(wholeDocument());
    }
    List<DocStep> order = doc.allSteps();
    Set<String> targets = new HashSet<>();
    order.forEach(s -> s.cases().forEach(c -> collectTargets(c, targets)));
    List<CollectionTail.Fold> folds = CollectionTail.find(doc.steps(), targets);
    // Identity maps: a step is a deep record, and two steps may read alike.
    Map<DocStep, CollectionTail.Fold> foldOf = new IdentityHashMap<>();
    folds.forEach(f -> f.steps().forEach(s -> foldOf.put(s, f)));

    Analyzer analyzer = new Analyzer(doc, hosts, paramNames);
    Map<DocStep, Analysis> analyses = new IdentityHashMap<>();
    for (DocStep step : order) {
      if (!foldOf.containsKey(step)) {
        analyses.put(step, analyzer.analyze(step));
      }
    }
    CaseMapper cases = new CaseMapper(ids, shared, alarm, doc.alarmId());
    ChainBuilder chains = new ChainBuilder(ids, hosts, shared, cases, alarm);
    Map<String, String> entryByNumber = new HashMap<>();
    Map<String, String> entryByLabel = new HashMap<>();
    List<StepDraft> out = new ArrayList<>();
    String heading = null;
    for (int i = 0; i < order.size(); i++) {
      DocStep step = order.get(i);
      CollectionTail.Fold fold = foldOf.get(step);
      int afterIndex = i + 1;
      if (fold != null) {
        if (fold.first() != step) {
          continue;
        }
        afterIndex = indexOf(order, fold.steps().get(fold.steps().size() - 1)) + 1;
      }
      Flow after =
          afterIndex < order.size()
              ? new Flow.ToDocument(order.get(afterIndex).number(), null)
              : null;
      String afterName =
          afterIndex < order.size()
              ? "step " + order.get(afterIndex).number()
              : "the end of the procedure";
      List<StepDraft> chain;
      if (fold != null) {
        chain = List.of(collect(fold, after));
      } else {
        boolean intoTail =
            afterIndex < order.size()
                && foldOf.containsKey(order.get(afterIndex))
                && foldOf.get(order.get(afterIndex)).first() == order.get(afterIndex);
        chain =
            chains.build(
                analyses.get(step), after, afterName, usedLater(order, analyses, i), intoTail);
      }
      if (step.heading() != null && !step.heading().equals(heading)) {
        StepDraft first = chain.get(0);
        List<String> comments = new ArrayList<>();
        comments.add(step.heading());
        comments.addAll(first.comments());
        chain = new ArrayList<>(chain);
        chain.set(
            0,
            new StepDraft(
                first.id(),
                first.title(),
                first.ref(),
                first.kind(),
                first.next(),
                first.yes(),
                first.no(),
                first.maxVisits(),
                first.todos(),
                comments));
        heading = step.heading();
      }
      String entry = chain.get(0).id();
      entryByNumber.putIfAbsent(step.number(), entry);
      for (DocStep member : fold == null ? List.of(step) : fold.steps()) {
        entryByNumber.putIfAbsent(member.number(), entry);
        member.labels().forEach(l -> entryByLabel.putIfAbsent(l, entry));
      }
      out.addAll(chain);
    }
    FlowFinisher finisher =
        new FlowFinisher(
            ids,
            to -> {
              String byLabel = to.label() == null ? null : entryByLabel.get(to.label());
              return byLabel != null ? byLabel : entryByNumber.get(to.number());
            },
            notes);
    return finisher.finish(out);
  }

  private static int indexOf(List<DocStep> order, DocStep step) {
    for (int i = 0; i < order.size(); i++) {
      if (order.get(i) == step) {
        return i;
      }
    }
    return -1;
  }

  private static void collectTargets(Case c, Set<String> into) {
    if (c.goTo() != null) {
      into.add(c.goTo().number());
    }
    c.nested().forEach(n -> collectTargets(n, into));
  }

  /** Whether a later step runs a command where step i logs in, before anything logs in anew. */
  private static boolean usedLater(List<DocStep> order, Map<DocStep, Analysis> analyses, int i) {
    Analysis a = analyses.get(order.get(i));
    if (a == null || a.login() == null) {
      return false;
    }
    String target = Hosts.name(a.login());
    for (int j = i + 1; j < order.size(); j++) {
      Analysis later = analyses.get(order.get(j));
      if (later == null) {
        continue;
      }
      for (Analysis.Command c : later.commands()) {
        if (c.runnable() && target.equals(c.target())) {
          return true;
        }
      }
      if (later.login() != null) {
        return false;
      }
    }
    return false;
  }

  private StepDraft collect(CollectionTail.Fold fold, Flow after) {
    List<DocStep> steps = fold.steps();
    String first = steps.get(0).number();
    String last = steps.get(steps.size() - 1).number();
    String range = first.equals(last) ? "step " + first : "steps " + first + " to " + last;
    return new StepDraft(
        ids.next(first, null),
        "Collect fault information (" + range + ")",
        fold.ref(),
        shared.collectFaultInformation(literal(fold.collection())),
        after,
        null,
        null,
        null,
        List.of(),
        List.of("the document's " + range + ": the shared log collection"));
  }

  private static SharedProcedures.Collection literal(SharedProcedures.Collection c) {
    return new SharedProcedures.Collection(
        Texts.literal(c.how()),
        c.services() == null ? null : Texts.literal(c.services()),
        c.hosts() == null ? null : Texts.literal(c.hosts()),
        c.window());
  }

  /** A document with no numbered procedure: its text, for a person. */
  private StepDraft wholeDocument() {
    String text = doc.description().isBlank() ? "" : "\n\n" + doc.description();
    return new StepDraft(
        "follow-the-document",
        "Follow the document",
        null,
        new StepDraft.Kind.Manual(
            Texts.literal(
                "Follow " + doc.fileName() + ": it has no numbered steps to import." + text)),
        null,
        null,
        null,
        null,
        List.of("no numbered steps were found: encode this document by hand"),
        List.of());
  }
}
