/**
 * {@code runbook import}: vendor documents (reStructuredText, Markdown, plain text) to runbook
 * YAML. Reading ({@code read}, {@code markup}), understanding ({@code document}), mapping ({@code
 * map}, {@code draft}) and writing ({@code write}) are separate; {@link
 * dev.runbook.importer.Importer} runs them for one file. The importer produces runbooks and runs
 * nothing.
 */
package dev.runbook.importer;
