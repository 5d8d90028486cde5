package dev.runbook.cli;

import picocli.CommandLine.IVersionProvider;

/** The version from the jar's manifest, or "development" when run from classes. */
final class Version implements IVersionProvider {

  static String current() {
    String version = Version.class.getPackage().getImplementationVersion();
    return version != null ? version : "0.1.0-SNAPSHOT (development)";
  }

  @Override
  public String[] getVersion() {
    return new String[] {"runbook " + current(), "Java " + System.getProperty("java.version")};
  }
}
