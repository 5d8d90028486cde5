/**
 * What a vendor document says, whatever its format: title, alarm id, severity, edition, the
 * parameter table, and the procedure as numbered steps with their labels, sentences, commands and
 * yes/no cases. {@link dev.runbook.importer.document.DocumentBuilder} reads it from the blocks of
 * {@link dev.runbook.importer.markup}; the mapping to a runbook is {@code importer.map}'s job.
 */
package dev.runbook.importer.document;
