package io.driftwatch.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.driftwatch.producers.calibration.Books;
import io.driftwatch.scoring.radius.CharNgramModel;
import io.driftwatch.scoring.radius.FakeCompletionsServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code driftwatch probe radius} over archives, against a served character n-gram model of known order. */
class RadiusCommandTest {

  private static FakeCompletionsServer server;
  private static String book;

  @TempDir Path dir;

  @BeforeAll
  static void start() throws Exception {
    book = Books.body("emma");
    server = new FakeCompletionsServer(new CharNgramModel(book));
    server.serve("ngram", 16);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void probesASampleAndWritesTheTableJsonAndCsv() throws Exception {
    Path archive = rows(dir.resolve("rows.jsonl"), 30, "ngram");
    long requestsBefore = server.requests();
    long tokensBefore = server.promptTokens();

    ArchiveFixtures.Run run = ArchiveFixtures.run("probe", "radius", archive.toString(), "--endpoint", server.uri() + "/v1",
        "--model", "ngram", "--sample", "12", "--min-context", "1", "--rate", "200", "--target-tokens", "8",
        "-o", dir.resolve("radius.jsonl").toString(), "--csv", dir.resolve("radius.csv").toString());

    assertThat(run.status()).as(run.err()).isZero();
    System.out.print(run.out()); // the table docs/radius.md shows
    assertThat(run.out()).contains("Effective context radius of ngram:", "context", "excess", "fit: L(m)", "rows.jsonl:");
    List<JsonNode> lines = Files.readAllLines(dir.resolve("radius.jsonl")).stream().map(RadiusCommandTest::json).toList();
    assertThat(lines).hasSize(13);
    JsonNode model = lines.get(12);
    assertThat(model.get("kind").asText()).isEqualTo("model");
    assertThat(model.get("generations").asInt()).isEqualTo(12);
    assertThat(run.out()).contains("radius of ngram: " + model.get("radius").asInt() + " tokens");
    assertThat(model.get("requests").asLong()).isEqualTo(server.requests() - requestsBefore);
    assertThat(model.get("tokens_sent").asLong()).isPositive();
    // The archive's tokens are words and the server's characters: the budget counts the former, the server the latter.
    assertThat(server.promptTokens() - tokensBefore).isGreaterThan(model.get("tokens_sent").asLong());
    JsonNode curve = model.get("curve");
    assertThat(curve.get(0).get("excess").asDouble()).isGreaterThan(0.05); // one word of context is far from enough
    assertThat(curve.get(curve.size() - 1).get("excess").asDouble()).isZero();
    List<String> csv = Files.readAllLines(dir.resolve("radius.csv"));
    assertThat(csv.get(0)).isEqualTo("kind,id,model,context,nll,reference,excess");
    assertThat(csv).filteredOn(l -> l.startsWith("model,")).hasSize(curve.size());
    assertThat(run.err()).contains("Probed 12 generations, 0 failed, 0 not probed;");
  }

  @Test
  void stopsBeforeAGenerationThatWouldExceedTheTokenBudget() throws Exception {
    Path archive = rows(dir.resolve("rows.jsonl"), 10, "ngram");
    ArchiveFixtures.Run run = ArchiveFixtures.run("probe", "radius", archive.toString(), "--endpoint", server.uri().toString(),
        "--model", "ngram", "--sample", "10", "--rate", "200", "--token-budget", "1500", "-o", dir.resolve("r.jsonl").toString());

    assertThat(run.status()).as(run.err()).isZero();
    assertThat(run.err()).contains("(token budget reached)");
    JsonNode model = json(Files.readAllLines(dir.resolve("r.jsonl")).get(Files.readAllLines(dir.resolve("r.jsonl")).size() - 1));
    assertThat(model.get("tokens_sent").asLong()).isLessThanOrEqualTo(1500).isPositive();
    assertThat(model.get("generations").asInt()).isBetween(1, 9);
  }

  @Test
  void explainsWhatIsWrongInOneLine() throws Exception {
    Path archive = rows(dir.resolve("rows.jsonl"), 5, "other-model");
    ArchiveFixtures.Run wrongModel = ArchiveFixtures.run("probe", "radius", archive.toString(), "--endpoint", server.uri().toString(),
        "--model", "ngram");
    assertThat(wrongModel.status()).isEqualTo(1);
    assertThat(wrongModel.err()).contains("no generation to probe", "other-model", "--model");

    Path ours = rows(dir.resolve("ours.jsonl"), 3, "not-served");
    ArchiveFixtures.Run notServed = ArchiveFixtures.run("probe", "radius", ours.toString(), "--endpoint", server.uri().toString(),
        "--model", "not-served", "--rate", "200", "--attempts", "1");
    assertThat(notServed.status()).isEqualTo(1);
    assertThat(notServed.err()).contains("HTTP 404", "does not exist");

    ArchiveFixtures.Run badUrl = ArchiveFixtures.run("probe", "radius", ours.toString(), "--endpoint", "localhost:8000", "--model", "x");
    assertThat(badUrl.status()).isEqualTo(1);
    assertThat(badUrl.err()).contains("http:// or https://");

    ArchiveFixtures.Run noKey = ArchiveFixtures.run("probe", "radius", ours.toString(), "--endpoint", server.uri().toString(),
        "--model", "x", "--api-key-env", "DRIFTWATCH_TEST_SURELY_UNSET_VARIABLE");
    assertThat(noKey.err()).contains("DRIFTWATCH_TEST_SURELY_UNSET_VARIABLE", "not set");
  }

  @Test
  void theApiKeyIsSentButNeverPrinted() throws Exception {
    // PATH is set in every test environment: it stands in for a key here.
    String key = System.getenv("PATH");
    Path archive = rows(dir.resolve("rows.jsonl"), 2, "ngram");
    server.failNext(1, 401, "{\"error\":{\"message\":\"Incorrect API key provided: " + key.replace("\"", "") + "\"}}");
    ArchiveFixtures.Run run = ArchiveFixtures.run("probe", "radius", archive.toString(), "--endpoint", server.uri().toString(),
        "--model", "ngram", "--rate", "200", "--api-key-env", "PATH", "-o", dir.resolve("r.jsonl").toString());

    assertThat(server.authorizations()).contains("Bearer " + key);
    assertThat(run.status()).isEqualTo(1); // one generation failed
    assertThat(run.err()).contains("HTTP 401", "<api key>").doesNotContain(key);
    assertThat(run.out()).doesNotContain(key);
    assertThat(Files.readString(dir.resolve("r.jsonl"))).doesNotContain(key);
  }

  /** Rows of passages from the book: a prompt of 400 characters, then 240 generated. */
  private static Path rows(Path file, int n, String model) throws Exception {
    Random random = new Random(n);
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < n; i++) {
      int at = random.nextInt(book.length() - 640);
      out.append(new ObjectMapper().createObjectNode().put("prompt", book.substring(at, at + 400))
          .put("completion", book.substring(at + 400, at + 640)).put("model", model)).append('\n');
    }
    return Files.writeString(file, out);
  }

  private static JsonNode json(String line) {
    try {
      return new ObjectMapper().readTree(line);
    } catch (Exception e) {
      throw new AssertionError(line, e);
    }
  }
}
