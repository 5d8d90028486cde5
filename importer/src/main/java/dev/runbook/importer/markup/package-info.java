/**
 * The shape of a document once its format is read: blocks (headings, paragraphs, lists, literal
 * blocks, directives, tables) and the inline spans of a paragraph. reStructuredText, Markdown and
 * plain text all read into this tree, so the steps that follow know no format.
 */
package dev.runbook.importer.markup;
