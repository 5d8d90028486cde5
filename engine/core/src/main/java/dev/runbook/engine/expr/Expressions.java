package dev.runbook.engine.expr;

import com.google.common.collect.ImmutableList;
import com.google.common.primitives.UnsignedLong;
import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelValidationException;
import dev.cel.common.CelValidationResult;
import dev.cel.common.ast.CelExpr;
import dev.cel.common.types.CelType;
import dev.cel.common.types.MapType;
import dev.cel.common.types.SimpleType;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerBuilder;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.extensions.CelExtensions;
import dev.cel.parser.CelMacro;
import dev.cel.parser.CelMacroExprFactory;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;
import dev.runbook.engine.model.Condition;
import dev.runbook.engine.model.ParamType;
import dev.runbook.engine.model.Problem;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Compiles, type-checks and evaluates conditions written in CEL.
 *
 * <p>Each parameter is declared as its own qualified variable ({@code params.HostName} of type
 * string, {@code params.Retries} of type int), so a misspelt parameter is a type-check error before
 * anything runs. {@code result}, {@code steps} and {@code inputs} are dynamic: their shape depends
 * on the plugin that produced them.
 *
 * <p>Building CEL costs a few hundred milliseconds in a cold JVM, so an instance is made only by
 * commands that need conditions. Thread-safe.
 */
public final class Expressions {

  /**
   * Built on the first condition compiled, not with the instance: a runbook without conditions (a
   * list of commands) never pays for CEL's runtime (~200 ms of a cold start, bench/run.sh
   * step-overhead).
   */
  private volatile CelRuntime runtime;

  private final Map<ExpressionScope, CelCompiler> compilers = new ConcurrentHashMap<>();
  private final Map<ExpressionScope, CelCompiler> valueCompilers = new ConcurrentHashMap<>();

  /** The types a switch's value may have; a condition's is BOOL (the compiler requires it). */
  private static final Set<CelType> SCALARS =
      Set.of(
          SimpleType.STRING,
          SimpleType.INT,
          SimpleType.UINT,
          SimpleType.DOUBLE,
          SimpleType.BOOL,
          SimpleType.DYN);

  /**
   * Compiles a condition, which must yield a bool; problems are named {@code condition 'EXPR'}.
   *
   * @throws ConditionException with one problem per CEL issue, positioned in the runbook file
   */
  public CompiledCondition compile(Condition condition, ExpressionScope scope)
      throws ConditionException {
    return compile(condition, scope, "condition '" + condition.expression() + "'");
  }

  /**
   * Compiles a condition, which must yield a bool.
   *
   * @param subject what the messages name, such as {@code step 'check': 'if'}
   * @throws ConditionException with one problem per CEL issue (only the first syntax error),
   *     positioned in the runbook file
   */
  public CompiledCondition compile(Condition condition, ExpressionScope scope, String subject)
      throws ConditionException {
    return compile(
        condition, scope, subject, compilers.computeIfAbsent(scope, s -> newCompiler(s, true)));
  }

  /**
   * Compiles the value of a {@code switch:}: any text, number or bool (compared as text with the
   * step's cases), not a list or a map.
   *
   * @throws ConditionException as {@link #compile(Condition, ExpressionScope, String)} does
   */
  public CompiledCondition compileValue(Condition condition, ExpressionScope scope, String subject)
      throws ConditionException {
    CompiledCondition compiled =
        compile(
            condition,
            scope,
            subject,
            valueCompilers.computeIfAbsent(scope, s -> newCompiler(s, false)));
    return compiled;
  }

  private CompiledCondition compile(
      Condition condition, ExpressionScope scope, String subject, CelCompiler compiler)
      throws ConditionException {
    CelValidationResult parsed = compiler.parse(condition.expression());
    if (parsed.hasError()) {
      throw new ConditionException(
          List.of(CelMessages.syntax(condition, parsed.getErrors().get(0), subject)));
    }
    try {
      CelValidationResult checked = compiler.check(parsed.getAst());
      if (checked.hasError()) {
        throw new ConditionException(
            CelMessages.check(condition, scope, checked.getErrors(), subject));
      }
      CelAbstractSyntaxTree ast = checked.getAst();
      CelType type = ast.getResultType();
      if (!SCALARS.contains(type)) {
        throw new ConditionException(
            List.of(
                new Problem(
                    condition.positionOf(0),
                    subject
                        + ": the value must be text, a number or a bool (it is compared with the"
                        + " cases), but it is "
                        + type.name())));
      }
      return new CompiledCondition(condition, runtime().createProgram(ast), variables(condition));
    } catch (CelValidationException | CelEvaluationException e) {
      throw new ConditionException(
          List.of(
              new Problem(
                  condition.position(), subject + ": does not compile: " + e.getMessage())));
    }
  }

  /**
   * Evaluates a compiled condition.
   *
   * @param activation values by name: {@code params.NAME} keys for parameters, and {@code result},
   *     {@code steps}, {@code inputs} as JSON-like maps (numbers as Long or Double)
   * @throws ConditionException when evaluation fails (a missing field, a bad conversion)
   */
  public boolean evaluate(CompiledCondition compiled, Map<String, ?> activation)
      throws ConditionException {
    Object value = eval(compiled, activation);
    if (value instanceof Boolean bool) {
      return bool;
    }
    throw new ConditionException(
        List.of(
            new Problem(
                compiled.condition().position(),
                "condition gave " + value + ", not true or false")));
  }

  /**
   * Evaluates a {@code switch:} value, as text: a string as it is, a number or a bool as CEL writes
   * it ({@code 3}, {@code true}).
   *
   * @throws ConditionException when evaluation fails, or gives a list or a map
   */
  public String evaluateValue(CompiledCondition compiled, Map<String, ?> activation)
      throws ConditionException {
    Object value = eval(compiled, activation);
    if (value instanceof String
        || value instanceof Long
        || value instanceof Boolean
        || value instanceof Double
        || value instanceof UnsignedLong) {
      return value.toString();
    }
    throw new ConditionException(
        List.of(
            new Problem(
                compiled.condition().position(),
                "'"
                    + compiled.condition().expression()
                    + "' gave "
                    + (value instanceof Map<?, ?>
                        ? "a map"
                        : value instanceof List<?> ? "a list" : String.valueOf(value))
                    + ", not text, a number or a bool to compare with the cases")));
  }

  /** The expression's value; a reading of a missing value or a failure is said in words. */
  private Object eval(CompiledCondition compiled, Map<String, ?> activation)
      throws ConditionException {
    try {
      Object value = compiled.program().eval(activation);
      if (value instanceof Boolean
          || value instanceof String
          || value instanceof Long
          || value instanceof Double) {
        return value;
      }
      List<String> missing =
          compiled.variables().stream()
              .filter(
                  v ->
                      (v.startsWith("params.") || v.startsWith(CAPTURED))
                          && !activation.containsKey(v))
              .toList();
      if (!missing.isEmpty() && missing.get(0).startsWith(CAPTURED)) {
        throw new ConditionException(
            List.of(
                new Problem(
                    compiled.condition().position(),
                    "condition '"
                        + compiled.condition().expression()
                        + "' reads "
                        + String.join(", ", missing)
                        + ", which no step has captured in this run")));
      }
      if (!missing.isEmpty()) {
        throw new ConditionException(
            List.of(
                new Problem(
                    compiled.condition().position(),
                    "condition '"
                        + compiled.condition().expression()
                        + "' reads "
                        + String.join(", ", missing)
                        + ", which has no value (an optional parameter that was not given); test"
                        + " it first: has("
                        + missing.get(0)
                        + ") && …")));
      }
      return value;
    } catch (CelEvaluationException e) {
      throw new ConditionException(
          List.of(
              new Problem(
                  compiled.condition().position(),
                  "condition '"
                      + compiled.condition().expression()
                      + "' failed: "
                      + e.getMessage())));
    }
  }

  private CelRuntime runtime() {
    CelRuntime built = runtime;
    if (built == null) {
      synchronized (this) {
        built = runtime;
        if (built == null) {
          built =
              CelRuntimeFactory.standardCelRuntimeBuilder()
                  .addLibraries(CelExtensions.strings())
                  .build();
          runtime = built;
        }
      }
    }
    return built;
  }

  /**
   * @param bool whether the expression must be a bool (a condition), or may be any value (a
   *     switch's)
   */
  private static CelCompiler newCompiler(ExpressionScope scope, boolean bool) {
    CelCompilerBuilder builder =
        CelCompilerFactory.standardCelCompilerBuilder()
            .setStandardMacros(
                CelStandardMacro.STANDARD_MACROS.stream()
                    .filter(m -> m != CelStandardMacro.HAS)
                    .toList())
            .addMacros(CelMacro.newGlobalMacro("has", 1, Expressions::has))
            .addLibraries(CelExtensions.strings())
            .addVar("steps", MapType.create(SimpleType.STRING, SimpleType.DYN));
    if (bool) {
      builder.setResultType(SimpleType.BOOL);
    }
    scope
        .params()
        .forEach(
            (name, type) -> {
              builder.addVar("params." + name, celType(type));
              builder.addVar(GIVEN + name, SimpleType.BOOL);
            });
    // A captured value is read only where every path has captured it (validate checks that), so
    // it needs no has() flag as an optional parameter does.
    scope.captured().forEach((name, type) -> builder.addVar(CAPTURED + name, celType(type)));
    if (scope.inProcedure()) {
      builder.addVar("inputs", MapType.create(SimpleType.STRING, SimpleType.DYN));
    }
    if (scope.hasResult()) {
      builder.addVar("result", SimpleType.DYN);
    }
    return builder.build();
  }

  /** The prefix of a captured value's variable: {@code captured.AlarmHost}. */
  public static final String CAPTURED = "captured.";

  /** Whether a parameter was given (or has a default): {@code has(params.X)} reads it. */
  static final String GIVEN = "given.";

  /**
   * {@code has(params.X)}: whether the parameter has a value. Parameters are typed variables of
   * their own ({@code params.X}), not fields of a map, so the standard {@code has()} cannot test
   * them; this one reads the {@code given.X} flag the engine binds for each. On anything else it is
   * the standard presence test: {@code has(result.json.status)}.
   */
  private static Optional<CelExpr> has(
      CelMacroExprFactory factory, CelExpr target, ImmutableList<CelExpr> arguments) {
    CelExpr argument = arguments.get(0);
    if (argument.exprKind().getKind() != CelExpr.ExprKind.Kind.SELECT) {
      return Optional.of(
          factory.reportError("has() tests a field: has(params.X), has(result.json.status)"));
    }
    CelExpr.CelSelect select = argument.select();
    CelExpr operand = select.operand();
    if (operand.exprKind().getKind() == CelExpr.ExprKind.Kind.IDENT
        && operand.ident().name().equals("params")) {
      return Optional.of(factory.newSelect(factory.newIdentifier("given"), select.field(), false));
    }
    return Optional.of(factory.newSelect(factory.copy(operand), select.field(), true));
  }

  static CelType celType(ParamType type) {
    return switch (type) {
      case INT -> SimpleType.INT;
      case BOOL -> SimpleType.BOOL;
      default -> SimpleType.STRING;
    };
  }

  /** The value of a parameter as CEL sees it. */
  public static Object paramValue(ParamType type, String text) {
    return switch (type) {
      case INT -> Long.parseLong(text);
      case BOOL -> Boolean.parseBoolean(text);
      default -> text;
    };
  }

  private static Set<String> variables(Condition condition) {
    Set<String> names = new LinkedHashSet<>();
    Matcher m =
        Pattern.compile("\\b((?:params|captured)\\.[A-Za-z_][A-Za-z0-9_]*|result|steps|inputs)\\b")
            .matcher(condition.expression());
    while (m.find()) {
      names.add(m.group(1));
    }
    return names;
  }

  /** Flattens parameters for an activation: {@code params.NAME} keys. */
  public static Map<String, Object> paramActivation(
      Map<String, ParamType> types, Map<String, String> values) {
    Map<String, Object> activation = new LinkedHashMap<>();
    types.forEach(
        (name, type) -> {
          String value = values.get(name);
          if (value != null) {
            activation.put("params." + name, paramValue(type, value));
          }
          activation.put(GIVEN + name, value != null);
        });
    return activation;
  }
}
