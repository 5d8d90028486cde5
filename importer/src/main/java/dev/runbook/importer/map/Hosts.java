package dev.runbook.importer.map;

import dev.runbook.importer.draft.ParamDraft;
import dev.runbook.importer.draft.TargetDraft;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The targets a runbook's shell steps need, one per host and user the document logs in as: {@code
 * alarm-host-omm} is {@code ${params.HostName}} as {@code omm}; another host the document names
 * ("the active OMS Database node") gets a parameter of its own ({@code ActiveOmsDatabaseNode}).
 */
final class Hosts {

  static final String ALARM_HOST_PARAM = "HostName";
  static final String LOCAL = "local";

  private final Map<String, TargetDraft> targets = new LinkedHashMap<>();
  private final Map<String, ParamDraft> hostParams = new LinkedHashMap<>();

  /** The name of the target for a login, without creating it. */
  static String name(Login login) {
    String base = login.host() == null ? "alarm-host" : slug(login.host());
    return login.user() == null ? base : base + "-" + slug(login.user());
  }

  /** The target for a login, created on first use. */
  String target(Login login) {
    String base;
    String param;
    if (login.host() == null) {
      base = "alarm-host";
      param = ALARM_HOST_PARAM;
    } else {
      base = slug(login.host());
      param = paramName(login.host());
      hostParams.putIfAbsent(
          param,
          new ParamDraft(
              param,
              "host",
              false,
              null,
              "The " + login.host() + " (the document logs in to it)."));
    }
    String name = login.user() == null ? base : base + "-" + slug(login.user());
    targets.putIfAbsent(name, new TargetDraft(name, "${params." + param + "}", login.user()));
    return name;
  }

  List<TargetDraft> targets() {
    return List.copyOf(targets.values());
  }

  /** True when a target logs in to the alarm host. */
  boolean usesAlarmHost() {
    return targets.values().stream()
        .anyMatch(t -> t.host().equals("${params." + ALARM_HOST_PARAM + "}"));
  }

  List<ParamDraft> hostParams() {
    return new ArrayList<>(hostParams.values());
  }

  static String slug(String words) {
    String s =
        words.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-+|-+$", "");
    return s.isEmpty() ? "host" : s.length() > 40 ? s.substring(0, 40).replaceAll("-+$", "") : s;
  }

  static String paramName(String words) {
    StringBuilder out = new StringBuilder();
    int count = 0;
    for (String word : words.split("[^A-Za-z0-9]+")) {
      if (word.isEmpty() || count == 5) {
        continue;
      }
      out.append(Character.toUpperCase(word.charAt(0)))
          .append(word.substring(1).toLowerCase(Locale.ROOT));
      count++;
    }
    String name = out.toString();
    return name.isEmpty() || Character.isDigit(name.charAt(0)) ? "Host" + name : name;
  }
}
