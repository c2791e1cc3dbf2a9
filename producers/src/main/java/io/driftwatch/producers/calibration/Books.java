package io.driftwatch.producers.calibration;

import io.driftwatch.producers.demo.DemoCorpus;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.CRC32;

/** The bundled public-domain books (see the NOTICE beside them), read as the calibration set reads them. */
public final class Books {

  private static final String ROOT = "/io/driftwatch/producers/books/";
  /** Every bundled book, by file name without ".txt". */
  public static final List<String> NAMES = List.of("cape_cod", "emma", "frankenstein", "little_men", "little_women",
      "mansfield_park", "poirot_investigates", "pride_and_prejudice", "sense_and_sensibility", "the_coquette",
      "the_great_gatsby", "the_man_in_the_brown_suit", "tiny_shakespeare");

  private static final Map<String, String> TEXTS = new ConcurrentHashMap<>();
  private static final Map<String, List<String>> PARAGRAPHS = new ConcurrentHashMap<>();

  private Books() {}

  /** The whole file of a bundled book, carriage returns removed. */
  public static String text(String name) {
    return TEXTS.computeIfAbsent(name, Books::read);
  }

  /** The text of a bundled book between its Project Gutenberg markers, line breaks kept. */
  public static String body(String name) {
    return DemoCorpus.bodyOf(text(name));
  }

  /** A bundled book's prose paragraphs (whitespace collapsed; headings and fragments left out). */
  public static List<String> paragraphs(String name) {
    return PARAGRAPHS.computeIfAbsent(name, n -> List.copyOf(DemoCorpus.paragraphs(text(n))));
  }

  /** Which half a text belongs to: a stable function of its id alone, so that adding texts moves none. */
  public static boolean holdout(String id) {
    CRC32 crc = new CRC32();
    crc.update(id.getBytes(StandardCharsets.UTF_8));
    return (crc.getValue() & 1) == 1;
  }

  /** Words separated by whitespace: the unit of the corpora's length limits. */
  public static int words(String text) {
    String t = text.strip();
    return t.isEmpty() ? 0 : t.split("\\s+").length;
  }

  private static String read(String name) {
    try (InputStream in = Books.class.getResourceAsStream(ROOT + name + ".txt")) {
      if (in == null) {
        throw new IllegalStateException("bundled book missing from the jar: " + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).replace("\r", "");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
