/**
 * The plugin SPI: the only types a plugin author needs.
 *
 * <p>A {@link dev.runbook.api.Plugin} is found with {@link java.util.ServiceLoader} and contributes
 * {@link dev.runbook.api.Action actions} (what a step does) and {@link
 * dev.runbook.api.TransportProvider transports} (where a command runs). Every action works in two
 * phases: {@link dev.runbook.api.Action#preview preview} is pure and is all a dry-run calls; {@link
 * dev.runbook.api.Action#execute execute} acts. This module depends on the JDK only.
 */
package dev.runbook.api;
