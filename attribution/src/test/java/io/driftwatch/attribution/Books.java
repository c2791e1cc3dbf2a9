package io.driftwatch.attribution;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/** The public-domain books in the test resources (see books/NOTICE.md). */
final class Books {

  static final String PRIDE = "pride_and_prejudice.txt";
  static final String POIROT = "poirot_investigates.txt";
  /** Not indexed: the text a generation writes "on its own". */
  static final String GATSBY = "the_great_gatsby.txt";

  private Books() {}

  static Path path(String book) {
    try {
      return Path.of(Books.class.getResource("/books/" + book).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  static String text(String book) {
    try (InputStream in = Books.class.getResourceAsStream("/books/" + book)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The book's words, exactly as the index numbers them (offsets in the index are offsets here). */
  static List<String> words(String book) {
    return WordTokenizer.words(text(book));
  }

  /** The text between Project Gutenberg's start and end markers, where they exist. */
  static String body(String book) {
    String text = text(book);
    int start = text.indexOf("*** START OF");
    if (start >= 0) {
      start = text.indexOf('\n', start) + 1;
    } else {
      start = 0;
    }
    int end = text.indexOf("*** END OF", start);
    if (end < 0) {
      end = text.indexOf("End of the Project Gutenberg", start);
    }
    return text.substring(start, end < 0 ? text.length() : end);
  }
}
