package dev.runbook.importer.document;

/** One row of an alarm's parameter table: {@code HostName}, "Specifies the host for which…". */
public record ParamRow(String name, String meaning) {}
