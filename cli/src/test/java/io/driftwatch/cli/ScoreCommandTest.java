package io.driftwatch.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.driftwatch.contract.EventCodec;
import io.driftwatch.contract.GenerationEvent;
import io.driftwatch.producers.text.SimpleTokenizer;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScoreCommandTest {

  private static final Instant T0 = Instant.parse("2026-11-24T06:00:00Z");

  @Test
  void scoresAFileAndAGzipOneAlikeAndKeepsBadLinesAsDeadLetters(@TempDir Path dir) throws Exception {
    List<String> lines = new ArrayList<>();
    lines.add(json(new GenerationEvent.Start(1, "g", "r", "m", "Tell me about the sea.", null, Map.of(), T0)));
    long seq = 0;
    for (String t : SimpleTokenizer.tokenize("The sea was calm. The waves were small. I am sorry. I am sorry. I am sorry. I am sorry.")) {
      lines.add(json(new GenerationEvent.Token(1, "g", seq, t, null, null, null, T0.plusMillis(20 * seq))));
      seq++;
    }
    lines.add("{this is not json");
    lines.add(json(new GenerationEvent.End(1, "g", "stop", T0.plusSeconds(2))));
    Path plain = Files.write(dir.resolve("events.jsonl"), lines, UTF_8);
    Path gzip = dir.resolve("events.jsonl.gz");
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gzip))) {
      out.write(Files.readAllBytes(plain));
    }

    Path dead = dir.resolve("dead.jsonl");
    String fromPlain = run("score", plain.toString(), "--dead-letters", dead.toString());
    String fromGzip = run("score", gzip.toString());
    assertThat(fromPlain).isEqualTo(fromGzip);
    List<String> records = fromPlain.lines().toList();
    assertThat(records).hasSizeGreaterThan(3);
    assertThat(records.get(records.size() - 1)).contains("\"kind\":\"summary\"", "\"close_reason\":\"end:stop\"");
    assertThat(Files.readString(dead)).contains("\"reason\":\"json.malformed\"", "\"source_offset\":" + (lines.size() - 1));
  }

  private static String json(GenerationEvent event) {
    return new String(EventCodec.encode(event), UTF_8);
  }

  private static String run(String... args) {
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    PrintStream original = System.out;
    System.setOut(new PrintStream(captured, true, UTF_8));
    try {
      assertThat(Driftwatch.commandLine().execute(args)).isZero();
    } finally {
      System.setOut(original);
    }
    return captured.toString(UTF_8);
  }
}
