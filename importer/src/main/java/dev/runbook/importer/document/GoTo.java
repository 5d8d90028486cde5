package dev.runbook.importer.document;

/**
 * A link to another step: {@code :ref:`9 <alm-12017__li…>`}, or "go to step 9".
 *
 * @param number the step number the text shows ("9", "1.d")
 * @param label the link target it names, or null for a number in plain text
 */
public record GoTo(String number, String label) {}
