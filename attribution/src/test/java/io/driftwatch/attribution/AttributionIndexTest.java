package io.driftwatch.attribution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AttributionIndexTest {

  @TempDir
  Path tmp;

  @Test
  void countsAndLocatesPhrasesWithinDocuments() throws IOException {
    Path dir = tmp.resolve("index");
    List<String> phases = new ArrayList<>();
    BuildSummary summary = new IndexBuilder(dir)
        .onProgress((phase, done, total) -> phases.add(phase.name()))
        .addText("a", "The cat sat on the mat. The cat ran.")
        .addText("b", "On the mat the dog slept; the cat watched.")
        .build();
    assertThat(summary.documents()).isEqualTo(2);
    assertThat(summary.tokens()).isEqualTo(18);
    assertThat(summary.vocabulary()).isEqualTo(9);
    assertThat(summary.bytesOnDisk()).isPositive();
    assertThat(phases).contains("READING", "SORTING", "WRITING");

    AttributionIndex index = AttributionIndex.open(dir);
    assertThat(index.tokens()).isEqualTo(18);
    assertThat(index.vocabularySize()).isEqualTo(9);
    assertThat(index.documents()).containsExactly(
        new DocumentInfo(0, "a", 0, 9), new DocumentInfo(1, "b", 10, 9));
    assertThat(index.count(index.wordIds("the cat"))).isEqualTo(3);
    assertThat(index.count(index.wordIds("THE   Cat!"))).isEqualTo(3);
    assertThat(index.count(index.wordIds("on the mat"))).isEqualTo(2);
    assertThat(index.count(index.wordIds("the mat the"))).isEqualTo(2);
    assertThat(index.count(index.wordIds("the dog"))).isEqualTo(1);
    assertThat(index.count(index.wordIds("cat ran"))).isEqualTo(1);
    assertThat(index.count(index.wordIds("cat ran on"))).isZero();
    // "ran. On" spans the end of document a and the start of b: never a match.
    assertThat(index.count(index.wordIds("ran on"))).isZero();
    assertThat(index.count(index.wordIds("unicorn"))).isZero();
    assertThat(index.wordId("unicorn")).isEqualTo(AttributionIndex.UNKNOWN_WORD);
    assertThat(index.word(index.wordId("mat"))).isEqualTo("mat");

    Occurrences cat = index.locate(index.wordIds("the cat"), 10);
    assertThat(cat.total()).isEqualTo(3);
    assertThat(cat.listed()).containsExactly(
        new Occurrence(0, "a", 0), new Occurrence(0, "a", 6), new Occurrence(1, "b", 6));
    assertThat(index.locate(index.wordIds("the cat"), 2).listed()).hasSize(2);

    int[] phrase = index.wordIds("the dog slept the cat ran away");
    assertThat(index.longestMatchAt(phrase, 0)).isEqualTo(5);
    assertThat(index.longestMatchAt(phrase, 3)).isEqualTo(3);
    assertThat(index.longestMatchAt(phrase, 6)).isZero();
    assertThat(index.longestMatchAt(phrase, 7)).isZero();
  }

  @Test
  void countsAgreeWithBruteForceOnRandomCorpora() throws IOException {
    Random random = new Random(5);
    for (int trial = 0; trial < 40; trial++) {
      List<List<String>> corpus = new ArrayList<>();
      IndexBuilder builder = new IndexBuilder(tmp.resolve("r" + trial));
      for (int d = 0; d < 1 + random.nextInt(4); d++) {
        List<String> doc = new ArrayList<>();
        for (int w = 0; w < random.nextInt(40); w++) {
          doc.add(String.valueOf((char) ('a' + random.nextInt(3))));
        }
        corpus.add(doc);
        builder.addText("d" + d, String.join(" ", doc));
      }
      builder.build();
      AttributionIndex index = AttributionIndex.open(tmp.resolve("r" + trial));
      for (int q = 0; q < 50; q++) {
        List<String> phrase = new ArrayList<>();
        for (int w = 0; w <= random.nextInt(5); w++) {
          phrase.add(String.valueOf((char) ('a' + random.nextInt(4))));
        }
        int[] ids = phrase.stream().mapToInt(index::wordId).toArray();
        assertThat(index.count(ids)).as("%s in %s", phrase, corpus).isEqualTo(Oracle.count(corpus, phrase));
      }
    }
  }

  @Test
  void trigramFilterNeverDeniesATripleThatOccurs() throws IOException {
    Random random = new Random(8);
    List<String> words = new ArrayList<>();
    for (int w = 0; w < 5_000; w++) {
      words.add("w" + random.nextInt(300));
    }
    new IndexBuilder(tmp.resolve("f")).addText("a", String.join(" ", words)).addText("b", "x y z").build();
    AttributionIndex index = AttributionIndex.open(tmp.resolve("f"));
    for (int p = 0; p + 2 < words.size(); p++) {
      assertThat(index.mayOccur(index.wordId(words.get(p)), index.wordId(words.get(p + 1)),
          index.wordId(words.get(p + 2)))).isTrue();
    }
    assertThat(index.mayOccur(index.wordId("x"), index.wordId("y"), index.wordId("z"))).isTrue();
    // 5,000 triples in 32,768 bits: most absent triples are ruled out.
    int denied = 0;
    for (int t = 0; t < 1_000; t++) {
      int a = index.wordId("w" + random.nextInt(300));
      int b = index.wordId("w" + random.nextInt(300));
      int c = index.wordId("w" + random.nextInt(300));
      if (index.count(new int[] {a, b, c}) == 0 && !index.mayOccur(a, b, c)) {
        denied++;
      }
    }
    assertThat(denied).isGreaterThan(800);
  }

  @Test
  void addsFilesFoldersAndJsonLines() throws IOException {
    Path books = Files.createDirectories(tmp.resolve("books/nested"));
    Files.writeString(tmp.resolve("books/one.txt"), "First book text.");
    Files.writeString(books.resolve("two.TXT"), "Second book, nested.");
    Files.writeString(books.resolve("ignored.md"), "Not a text file.");
    Path jsonl = tmp.resolve("records.jsonl");
    Files.writeString(jsonl, String.join("\n",
        "{\"id\": 1, \"meta\": {\"text\": \"nested is not it\"}, \"text\": \"Caf\\u00e9 \\\"quoted\\\" line\"}",
        "",
        "{\"id\": 2, \"other\": \"no text field\"}",
        "{\"text\": 42}",
        "{\"tags\": [\"a\", {\"b\": \"]\"}], \"text\": \"third\\nline \\ud83d\\ude00 end\"}"), StandardCharsets.UTF_8);
    Path dir = tmp.resolve("index");
    BuildSummary summary = new IndexBuilder(dir)
        .addDirectory(tmp.resolve("books"))
        .addJsonLines(jsonl, "text")
        .addFile(tmp.resolve("books/one.txt"))
        .build();
    assertThat(summary.skippedRecords()).isEqualTo(2);
    AttributionIndex index = AttributionIndex.open(dir);
    // Named relative to the corpus roots given: never by where they lay on the machine that built it.
    assertThat(index.documents()).extracting(DocumentInfo::name).containsExactly(
        "books/nested/two.TXT", "books/one.txt", "records.jsonl:1", "records.jsonl:5", "one.txt");
    assertThat(index.documents()).extracting(DocumentInfo::name).noneMatch(name -> name.contains(tmp.toString()));
    assertThat(index.count(index.wordIds("café quoted line"))).isEqualTo(1);
    assertThat(index.count(index.wordIds("third line end"))).isEqualTo(1);
    assertThat(index.count(index.wordIds("first book text"))).isEqualTo(2);
    assertThat(index.count(index.wordIds("nested is not it"))).isZero();
  }

  @Test
  void rejectsMalformedJsonLinesWithTheLineNumber() throws IOException {
    Path jsonl = tmp.resolve("bad.jsonl");
    Files.writeString(jsonl, "{\"text\": \"fine\"}\n{\"text\": \"unterminated}\n");
    assertThatThrownBy(() -> new IndexBuilder(tmp.resolve("i")).addJsonLines(jsonl, "text"))
        .isInstanceOf(IOException.class).hasMessageContaining("bad.jsonl:2");
  }

  @Test
  void emptyIndexAndEmptyDocumentsWork() throws IOException {
    new IndexBuilder(tmp.resolve("empty")).build();
    AttributionIndex empty = AttributionIndex.open(tmp.resolve("empty"));
    assertThat(empty.tokens()).isZero();
    assertThat(empty.documentCount()).isZero();
    assertThat(empty.count(empty.wordIds("anything"))).isZero();

    new IndexBuilder(tmp.resolve("blank")).addText("blank", " ... ").addText("x", "word").build();
    AttributionIndex blank = AttributionIndex.open(tmp.resolve("blank"));
    assertThat(blank.documents()).containsExactly(new DocumentInfo(0, "blank", 0, 0), new DocumentInfo(1, "x", 1, 1));
    assertThat(blank.locate(blank.wordIds("word"), 5).listed()).containsExactly(new Occurrence(1, "x", 0));
  }

  @Test
  void refusesIncompleteOrForeignDirectories() throws IOException {
    Path dir = tmp.resolve("index");
    new IndexBuilder(dir).addText("a", "some words here").build();
    Files.write(dir.resolve(IndexFormat.SUFFIX_ARRAY), new byte[8]);
    assertThatThrownBy(() -> AttributionIndex.open(dir)).isInstanceOf(IOException.class)
        .hasMessageContaining("suffix-array.i32");

    String header = Files.readString(dir.resolve(IndexFormat.HEADER));
    Files.writeString(dir.resolve(IndexFormat.HEADER), header.replace("version=1", "version=99"));
    assertThatThrownBy(() -> AttributionIndex.open(dir)).hasMessageContaining("version 99");

    // A build that has started but not finished leaves no header behind.
    new IndexBuilder(dir).addText("a", "words");
    assertThat(dir.resolve(IndexFormat.HEADER)).doesNotExist();
    assertThatThrownBy(() -> AttributionIndex.open(dir)).isInstanceOf(IOException.class);
  }

  @Test
  void sameContentGivesTheSameId() throws IOException {
    new IndexBuilder(tmp.resolve("x")).addText("a", "one two").addText("b", "three").build();
    new IndexBuilder(tmp.resolve("y")).addText("a", "one two").addText("b", "three").build();
    new IndexBuilder(tmp.resolve("z")).addText("a", "one two").addText("b", "four").build();
    long x = AttributionIndex.open(tmp.resolve("x")).id();
    assertThat(AttributionIndex.open(tmp.resolve("y")).id()).isEqualTo(x);
    assertThat(AttributionIndex.open(tmp.resolve("z")).id()).isNotEqualTo(x);
  }
}
