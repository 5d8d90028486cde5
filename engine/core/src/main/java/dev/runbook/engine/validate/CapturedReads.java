package dev.runbook.engine.validate;

import dev.runbook.engine.model.Condition;
import dev.runbook.engine.model.InputValue;
import dev.runbook.engine.model.ParamSpec;
import dev.runbook.engine.model.ParamType;
import dev.runbook.engine.model.Position;
import dev.runbook.engine.model.Procedure;
import dev.runbook.engine.model.Runbook;
import dev.runbook.engine.model.Step;
import dev.runbook.engine.model.StepKind;
import dev.runbook.engine.model.TargetSpec;
import dev.runbook.engine.model.Template;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a step reads captured values ({@code ${captured.NAME}}, {@code captured.NAME} in a
 * condition): its texts, inputs, waits and conditions, and the targets it runs on (a target
 * declared with {@code ssh: "${captured.AlarmHost}"} is read by each step that names it).
 */
final class CapturedReads {

  /** One reading: the captured name, and where the step reads it. */
  record Read(String name, Position at) {}

  private static final Pattern IN_CONDITION =
      Pattern.compile("\\bcaptured\\s*\\.\\s*([A-Za-z_][A-Za-z0-9_]*)");
  private static final String ROOT = "captured";

  private CapturedReads() {}

  static List<Read> of(Runbook runbook, Step step) {
    List<Read> reads = new ArrayList<>();
    if (step.on() != null) {
      if (step.on().isLiteral()) {
        target(runbook, step.on().raw(), step.on().position(), reads, 0);
      } else {
        template(step.on(), reads);
      }
    }
    StepKind kind = step.kind();
    if (kind instanceof StepKind.ActionCall action) {
      action.inputs().values().forEach(value -> input(value, reads));
      template(action.timeout(), reads);
      template(action.every(), reads);
      condition(action.condition(), reads);
      condition(action.until(), reads);
    } else if (kind instanceof StepKind.Decision decision) {
      condition(decision.condition(), reads);
    } else if (kind instanceof StepKind.Switch choice) {
      condition(choice.value(), reads);
    } else if (kind instanceof StepKind.Sleep sleep) {
      template(sleep.duration(), reads);
    } else if (kind instanceof StepKind.Ask ask) {
      template(ask.question(), reads);
    } else if (kind instanceof StepKind.Manual manual) {
      template(manual.instruction(), reads);
    } else if (kind instanceof StepKind.Call call) {
      with(runbook, runbook.procedure(call.procedure()), call.with(), reads);
    } else if (kind instanceof StepKind.Foreach each) {
      each.items().forEach(item -> template(item, reads));
      with(runbook, runbook.procedure(each.procedure()), each.with(), reads);
    }
    return reads;
  }

  private static void with(
      Runbook runbook, Procedure callee, Map<String, Template> with, List<Read> reads) {
    with.forEach(
        (input, value) -> {
          template(value, reads);
          ParamSpec spec = callee == null ? null : callee.inputs().get(input);
          if (spec != null && spec.type() == ParamType.TARGET && value.isLiteral()) {
            target(runbook, value.raw(), value.position(), reads, 0);
          }
        });
  }

  /** The captured values a target's settings read (and its {@code via} target's), at {@code at}. */
  private static void target(
      Runbook runbook, String name, Position at, List<Read> reads, int depth) {
    TargetSpec target = runbook.targets().get(name);
    if (target == null || depth > 2) {
      return;
    }
    for (Template setting : target.settings().values()) {
      for (Template.Reference ref : setting.references()) {
        if (ref.root().equals(ROOT) && ref.path().size() > 1) {
          reads.add(new Read(ref.path().get(1), at));
        }
      }
    }
    Template via = target.settings().get("via");
    if (via != null && via.isLiteral()) {
      target(runbook, via.raw(), at, reads, depth + 1);
    }
  }

  private static void input(InputValue value, List<Read> reads) {
    if (value instanceof InputValue.Scalar scalar) {
      template(scalar.value(), reads);
    } else if (value instanceof InputValue.ListValue list) {
      list.items().forEach(item -> template(item, reads));
    } else if (value instanceof InputValue.MapValue map) {
      map.entries().values().forEach(item -> template(item, reads));
    }
  }

  private static void template(Template template, List<Read> reads) {
    if (template == null) {
      return;
    }
    for (Template.Reference ref : template.references()) {
      if (ref.root().equals(ROOT) && ref.path().size() > 1) {
        reads.add(new Read(ref.path().get(1), template.positionOf(ref)));
      }
    }
  }

  static void condition(Condition condition, List<Read> reads) {
    if (condition == null) {
      return;
    }
    Matcher m = IN_CONDITION.matcher(condition.expression());
    while (m.find()) {
      reads.add(new Read(m.group(1), condition.positionOf(m.start())));
    }
  }
}
