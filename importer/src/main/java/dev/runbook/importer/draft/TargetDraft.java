package dev.runbook.importer.draft;

/**
 * An SSH target.
 *
 * @param host the host template ({@code ${params.HostName}})
 * @param user the login user, or null for SSH's default
 */
public record TargetDraft(String name, String host, String user) {}
