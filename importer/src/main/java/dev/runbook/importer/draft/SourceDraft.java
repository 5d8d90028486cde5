package dev.runbook.importer.draft;

/** The runbook's {@code source:}; every field but {@code document} may be null. */
public record SourceDraft(String document, String section, String applies, String url) {}
