package io.driftwatch.producers.demo;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The public-domain books bundled for the demo (see the NOTICE beside them), as lists of paragraphs of
 * running prose: the Project Gutenberg header and licence, tables of contents and headings are left out.
 */
public final class DemoCorpus {

  /**
   * A book of the corpus: a short name, its prose paragraphs (whitespace collapsed), and whether it is
   * narrative, with recurring characters (what an entity swap needs).
   */
  public record Book(String name, List<String> paragraphs, boolean narrative) {}

  private static final String ROOT = "/io/driftwatch/producers/books/";
  private static final List<String> FILES = List.of("pride_and_prejudice", "frankenstein", "cape_cod");
  /** The reference corpus of attribution: indexed by the demo, pasted from only by the verbatim-copy scenario. */
  private static final List<String> REFERENCES = List.of("the_coquette");
  /** Cape Cod is travel and nature writing: places and species, not characters. */
  private static final List<String> NARRATIVE = List.of("pride_and_prejudice", "frankenstein");
  private static final Pattern BLANK_LINES = Pattern.compile("\\R\\s*\\R");
  /** Shorter paragraphs are mostly headings, letters' greetings and dialogue fragments. */
  private static final int MIN_WORDS = 40;

  private final List<Book> books;
  private final List<Book> references;

  private DemoCorpus(List<Book> books, List<Book> references) {
    this.books = List.copyOf(books);
    this.references = List.copyOf(references);
  }

  public static DemoCorpus load() {
    List<Book> books = new ArrayList<>();
    for (String name : FILES) {
      books.add(new Book(name, paragraphs(read(ROOT + name + ".txt")), NARRATIVE.contains(name)));
    }
    List<Book> references = new ArrayList<>();
    for (String name : REFERENCES) {
      references.add(new Book(name, paragraphs(read(ROOT + name + ".txt")), true));
    }
    return new DemoCorpus(books, references);
  }

  /** The books generations are drawn from. */
  public List<Book> books() {
    return books;
  }

  /** The reference books: what the demo indexes for attribution and the verbatim-copy scenario pastes from. */
  public List<Book> referenceBooks() {
    return references;
  }

  /** The reference books' prose by document name ("the_coquette.txt"), paragraphs separated by blank lines. */
  public java.util.Map<String, String> references() {
    java.util.Map<String, String> out = new java.util.LinkedHashMap<>();
    references.forEach(b -> out.put(b.name() + ".txt", String.join("\n\n", b.paragraphs())));
    return out;
  }

  /** The prose paragraphs of a bundled book's text: whitespace collapsed, headings and short fragments left out. */
  public static List<String> paragraphs(String text) {
    // Some Gutenberg files end lines with "\r\r\n"; without carriage returns every file reads alike.
    String body = bodyOf(text.replace("\r", ""));
    List<String> out = new ArrayList<>();
    for (String block : BLANK_LINES.split(body)) {
      String paragraph = block.strip().replaceAll("\\s+", " ");
      if (paragraph.split(" ").length >= MIN_WORDS && !paragraph.equals(paragraph.toUpperCase())) {
        out.add(paragraph);
      }
    }
    return out;
  }

  /** The text between the Project Gutenberg start and end markers, when the file has them. */
  public static String bodyOf(String text) {
    int start = text.indexOf("*** START OF");
    if (start >= 0) {
      start = text.indexOf('\n', start) + 1;
    } else {
      start = 0;
    }
    int end = text.length();
    for (String marker : List.of("*** END OF", "End of the Project Gutenberg", "End of Project Gutenberg")) {
      int at = text.indexOf(marker, start);
      if (at >= 0) {
        end = Math.min(end, at);
      }
    }
    return text.substring(start, end);
  }

  private static String read(String resource) {
    try (InputStream in = DemoCorpus.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("demo corpus file missing from the jar: " + resource);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
