package dev.runbook.engine.execute;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runbook.engine.expr.Bindings;
import dev.runbook.engine.expr.Value;
import dev.runbook.engine.model.ParamSpec;
import dev.runbook.engine.model.ParamType;
import dev.runbook.engine.model.Position;
import dev.runbook.engine.model.Procedure;
import dev.runbook.engine.model.Template;
import dev.runbook.engine.parse.TemplateParser;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A procedure's inputs bound before it starts: rendered, none missing, each of its type. */
class ProcedureInputsTest {

  private static ParamSpec input(
      String name, ParamType type, boolean required, String defaultValue, boolean secret) {
    return new ParamSpec(
        name,
        type,
        required,
        defaultValue,
        secret,
        null,
        List.of(),
        null,
        Position.start("t"),
        null,
        name.equals("Offset"));
  }

  private static Procedure procedure(ParamSpec... inputs) {
    Map<String, ParamSpec> map = new LinkedHashMap<>();
    for (ParamSpec input : inputs) {
      map.put(input.name(), input);
    }
    return new Procedure("renew", null, map, List.of(), Position.start("t"));
  }

  private static Template template(String text) {
    return TemplateParser.parse(text, Position.start("t"), Set.of(), new ArrayList<>());
  }

  private static final Bindings PARAMS =
      new Bindings(
          Map.of(
              "Host", Value.plain("node-1"),
              "Token", Value.secret("tok-123456"),
              "Bad", Value.plain("a;b")),
          id -> null);

  @Test
  void givenValuesAreRenderedAndDefaultsFillTheRest() {
    Procedure procedure =
        procedure(
            input("node", ParamType.HOST, true, null, false),
            input("token", ParamType.STRING, true, null, false),
            input("Offset", ParamType.INT, false, "-5", false),
            input("note", ParamType.STRING, false, null, false),
            input("via", ParamType.TARGET, false, "bastion", false));
    ProcedureInputs inputs =
        ProcedureInputs.bind(
            procedure,
            Map.of("node", template("${params.Host}"), "token", template("t=${params.Token}")),
            PARAMS);
    assertThat(inputs.problem()).isNull();
    assertThat(inputs.values())
        .containsExactly(
            Map.entry("node", new Value("node-1", false, false)),
            Map.entry("token", new Value("t=tok-123456", true, false)),
            Map.entry("Offset", new Value("-5", false, true)),
            Map.entry("via", new Value("bastion", false, false)));
  }

  @Test
  void aMissingValueIsNamedBeforeAnythingRuns() {
    Procedure procedure =
        procedure(
            input("node", ParamType.HOST, true, null, false),
            input("other", ParamType.STRING, true, null, false));
    ProcedureInputs inputs =
        ProcedureInputs.bind(
            procedure,
            Map.of(
                "node", template("${params.Standby}"), "other", template("${steps.read.stdout}")),
            PARAMS);
    assertThat(inputs.problem())
        .isEqualTo("no value for params.Standby, steps.read.stdout (give it with -p NAME=VALUE)");
    assertThat(inputs.values()).isEmpty();
    assertThat(ProcedureInputs.hint(List.of("steps.read.stdout"))).isEmpty();
    assertThat(ProcedureInputs.hint(List.of("steps.x", "params.Y")))
        .isEqualTo(" (give it with -p NAME=VALUE)");
  }

  @Test
  void aRequiredInputNotGivenIsAProblem() {
    ProcedureInputs inputs =
        ProcedureInputs.bind(
            procedure(
                input("node", ParamType.HOST, true, null, false),
                input("extra", ParamType.STRING, false, null, false)),
            Map.of(),
            PARAMS);
    assertThat(inputs.problem()).isEqualTo("procedure 'renew' needs input node");
  }

  @Test
  void eachValueIsCheckedAgainstItsTypeAndSecretsAreNotShown() {
    ProcedureInputs inputs =
        ProcedureInputs.bind(
            procedure(
                input("node", ParamType.HOST, true, null, false),
                input("count", ParamType.INT, true, null, false),
                input("key", ParamType.INT, true, null, false),
                input("ok", ParamType.STRING, true, null, false)),
            Map.of(
                "node", template("${params.Bad}"),
                "count", template("abc"),
                "key", template("${params.Token}"),
                "ok", template("fine")),
            PARAMS);
    assertThat(inputs.problem())
        .isEqualTo(
            "input node (host) of procedure 'renew': 'a;b' is not a host name or address"
                + " (letters, digits, '.', '-', ':' only, not starting with '-'); input count (int)"
                + " of procedure 'renew': 'abc' must be a whole number; input key (int) of"
                + " procedure 'renew': the value must be a whole number");
    assertThat(inputs.values()).containsOnlyKeys("ok");
  }

  @Test
  void aTargetInputIsANameNotCheckedAsAValue() {
    ProcedureInputs inputs =
        ProcedureInputs.bind(
            procedure(input("node", ParamType.TARGET, true, null, false)),
            Map.of("node", template("active")),
            PARAMS);
    assertThat(inputs.problem()).isNull();
    assertThat(inputs.values()).containsEntry("node", new Value("active", false, false));
  }
}
