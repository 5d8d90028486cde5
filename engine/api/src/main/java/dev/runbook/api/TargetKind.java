package dev.runbook.api;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A kind of target a plugin brings, described so that the engine can read, check and resolve it
 * without knowing it: how it is written in a runbook's {@code targets:}, which settings it takes,
 * whether it is a machine that runs commands or a client (an API reached by a program run on
 * another target), and which shell its commands meet.
 *
 * <pre>
 * targets:
 *   here:   {local: true}                        # Form.FLAG
 *   active: {ssh: mrs-node-1, user: omm}         # Form.VALUE, primary setting "host"
 *   prod:   {kubectl: {context: prod, via: bastion}}   # Form.MAPPING, a client
 * </pre>
 *
 * @param name the key that declares the kind in a target ({@code ssh}); also {@link Target#kind()}
 * @param form how the kind's settings are written
 * @param primary for {@link Form#VALUE}, the setting the key's own value is ({@code host}); the
 *     inventory looks its hosts up by this setting
 * @param settings every other setting the kind takes
 * @param choices settings whose literal values must be one of a list ({@code binary: kubectl|oc})
 * @param client whether targets of this kind are API clients rather than machines: a step's
 *     commands then run on the target named by its {@code via} setting, or on the engine's machine
 * @param shell the shell dialect of the commands a machine of this kind runs ({@link
 *     ShellDialect#NONE} for a client, which runs no commands of its own)
 * @param doc one sentence for {@code runbook actions} and the docs
 */
public record TargetKind(
    String name,
    Form form,
    String primary,
    List<InputSpec> settings,
    Map<String, List<String>> choices,
    boolean client,
    ShellDialect shell,
    String doc) {

  /** The setting of a client kind that names the target its program runs on. */
  public static final String VIA = "via";

  /** How a kind's settings are written in a target. */
  public enum Form {
    /** {@code local: true}: no settings. */
    FLAG,
    /** {@code ssh: HOST} beside the other settings: the value is the primary setting. */
    VALUE,
    /** {@code kubectl: {context: …}}: every setting inside the kind's own mapping. */
    MAPPING
  }

  /** The language the engine renders a step's shell lines for. */
  public enum ShellDialect {
    /** POSIX {@code sh}: values reach lines as quoted environment variables. */
    POSIX,
    /** No shell: the engine refuses shell lines for such a target. */
    NONE
  }

  public TargetKind {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(form, "form");
    settings = List.copyOf(settings);
    choices = Map.copyOf(choices);
    Objects.requireNonNull(shell, "shell");
    Objects.requireNonNull(doc, "doc");
    if ((form == Form.VALUE) != (primary != null)) {
      throw new IllegalArgumentException(
          "target kind " + name + ": a primary setting exactly when the form is VALUE");
    }
    if (client && settings.stream().noneMatch(s -> s.name().equals(VIA))) {
      throw new IllegalArgumentException("target kind " + name + ": a client needs a 'via'");
    }
  }

  /** {@code NAME: true}, a machine with no settings (the engine's own). */
  public static TargetKind flag(String name, ShellDialect shell, String doc) {
    return new TargetKind(name, Form.FLAG, null, List.of(), Map.of(), false, shell, doc);
  }

  /** {@code NAME: VALUE} with the other settings beside it: a machine. */
  public static TargetKind value(
      String name, String primary, List<InputSpec> settings, ShellDialect shell, String doc) {
    return new TargetKind(name, Form.VALUE, primary, settings, Map.of(), false, shell, doc);
  }

  /** {@code NAME: {settings}}: a client whose program runs on its {@code via} target. */
  public static TargetKind client(String name, List<InputSpec> settings, String doc) {
    return new TargetKind(
        name, Form.MAPPING, null, settings, Map.of(), true, ShellDialect.NONE, doc);
  }

  /** This kind with {@code setting}'s literal values limited to {@code values}. */
  public TargetKind withChoices(String setting, String... values) {
    Map<String, List<String>> more = new LinkedHashMap<>(choices);
    more.put(setting, List.of(values));
    return new TargetKind(name, form, primary, settings, more, client, shell, doc);
  }

  /** Every setting name: the primary one first, then the others in declared order. */
  public List<String> settingNames() {
    List<String> names = new ArrayList<>();
    if (primary != null) {
      names.add(primary);
    }
    settings.forEach(s -> names.add(s.name()));
    return names;
  }
}
