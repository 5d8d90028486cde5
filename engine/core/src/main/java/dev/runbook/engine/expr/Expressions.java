package dev.runbook.engine.expr;

import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelValidationException;
import dev.cel.common.CelValidationResult;
import dev.cel.common.types.CelType;
import dev.cel.common.types.MapType;
import dev.cel.common.types.SimpleType;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerBuilder;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.extensions.CelExtensions;
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
    CelCompiler compiler = compilers.computeIfAbsent(scope, Expressions::newCompiler);
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
    try {
      Object value = compiled.program().eval(activation);
      if (value instanceof Boolean bool) {
        return bool;
      }
      throw new ConditionException(
          List.of(
              new Problem(
                  compiled.condition().position(),
                  "condition gave " + value + ", not true or false")));
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

  private static CelCompiler newCompiler(ExpressionScope scope) {
    CelCompilerBuilder builder =
        CelCompilerFactory.standardCelCompilerBuilder()
            .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
            .addLibraries(CelExtensions.strings())
            .setResultType(SimpleType.BOOL)
            .addVar("steps", MapType.create(SimpleType.STRING, SimpleType.DYN));
    scope.params().forEach((name, type) -> builder.addVar("params." + name, celType(type)));
    if (scope.inProcedure()) {
      builder.addVar("inputs", MapType.create(SimpleType.STRING, SimpleType.DYN));
    }
    if (scope.hasResult()) {
      builder.addVar("result", SimpleType.DYN);
    }
    return builder.build();
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
        Pattern.compile("\\b(params\\.[A-Za-z_][A-Za-z0-9_]*|result|steps|inputs)\\b")
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
        });
    return activation;
  }
}
