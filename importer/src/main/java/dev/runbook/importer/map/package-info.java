/**
 * From a {@link dev.runbook.importer.document.Document} to a {@link
 * dev.runbook.importer.draft.RunbookDraft}: ids and alarm ids by edition, parameters and targets,
 * each numbered step as one or more steps with its number as {@code ref}, cases as yes/no branches,
 * commands as shell steps (read-only only when shown to be), waits and log collection as calls of
 * the shared procedures, and a {@code TODO(import)} wherever a person must decide.
 */
package dev.runbook.importer.map;
