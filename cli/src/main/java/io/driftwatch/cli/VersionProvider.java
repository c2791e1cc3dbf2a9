package io.driftwatch.cli;

import picocli.CommandLine;

/** The version from the jar manifest, with the Kafka and Java versions it runs on. */
final class VersionProvider implements CommandLine.IVersionProvider {
  @Override
  public String[] getVersion() {
    String version = Driftwatch.class.getPackage().getImplementationVersion();
    return new String[] {
      "driftwatch " + (version == null ? "(development build)" : version),
      "Apache Kafka " + org.apache.kafka.common.utils.AppInfoParser.getVersion()
          + ", Java " + System.getProperty("java.version")
    };
  }
}
