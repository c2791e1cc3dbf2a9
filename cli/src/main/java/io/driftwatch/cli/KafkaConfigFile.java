package io.driftwatch.cli;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

/** The {@code --kafka-config} file of {@code run} and {@code tap}: Kafka client properties, security settings included. */
final class KafkaConfigFile {

  private KafkaConfigFile() {}

  /** The file's properties; empty when no file is given. Values may be secrets: pass them on, never print them. */
  static Map<String, String> read(Path file) {
    Map<String, String> out = new HashMap<>();
    if (file == null) {
      return out;
    }
    Properties props = new Properties();
    try (Reader reader = Files.newBufferedReader(file)) {
      props.load(reader);
    } catch (IOException e) {
      throw new UserFacingException("cannot read --kafka-config " + file + ": " + e.getMessage());
    }
    props.stringPropertyNames().forEach(name -> out.put(name, props.getProperty(name)));
    return out;
  }
}
