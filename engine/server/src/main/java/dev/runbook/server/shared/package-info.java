/**
 * Several servers, one shared store: alerts are claimed under leases, leases are renewed while runs
 * go on, a runbook's {@code lock:} is a lease too, and an alert whose server died is taken over.
 * Only interfaces of the store are used here (found by {@link java.util.ServiceLoader}); the
 * database and its driver live in the store's own module.
 */
package dev.runbook.server.shared;
