package dev.runbook.engine.model;

/** The document a runbook encodes. Only {@code document} is required. */
public record Source(String document, String section, String applies, String url) {}
