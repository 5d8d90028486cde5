package dev.runbook.importer;

import java.nio.file.Path;

/**
 * The runbook one document became.
 *
 * @param document the file it came from
 * @param id the runbook's id
 * @param yaml the runbook, as it is written
 * @param steps the steps of its main list
 * @param edges the yes/no branches that lead to another step of the document
 * @param todos the things for a person to review ({@code # TODO(import): …})
 */
public record ImportedRunbook(
    Path document, String id, String yaml, int steps, int edges, int todos) {}
