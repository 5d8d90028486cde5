/** Writes a {@link dev.runbook.importer.draft.RunbookDraft} as runbook YAML, comments included. */
package dev.runbook.importer.write;
