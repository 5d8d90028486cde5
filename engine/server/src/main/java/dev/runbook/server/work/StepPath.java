package dev.runbook.server.work;

/** A step's path in a trail ({@code regenerate@1/generate-new-cert@1}, {@code each[2]}). */
public final class StepPath {

  private StepPath() {}

  /** The step id a person types for it: {@code generate-new-cert}. */
  public static String id(String path) {
    return path.replaceAll(".*/", "").replaceAll("\\[\\d+\\]$", "").replaceAll("@\\d+$", "");
  }
}
