package dev.runbook.importer.draft;

/**
 * A parameter, or a procedure's input.
 *
 * @param defaultValue null for none
 */
public record ParamDraft(
    String name, String type, boolean required, String defaultValue, String doc) {}
