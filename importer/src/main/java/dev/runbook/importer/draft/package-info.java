/**
 * The runbook an import produces, before it is written: only the parts of the runbook format the
 * importer emits (parameters, targets, procedures, and ask, manual, shell, sleep, call and end
 * steps), with the review notes ({@code # TODO(import): …}) that go with them.
 */
package dev.runbook.importer.draft;
