package io.driftwatch.producers.replay;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.driftwatch.contract.GenerationEvent;
import io.driftwatch.producers.text.TokenSplitter;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ArchiveReaderTest {

  private final List<GenerationEvent> events = new ArrayList<>();
  private final List<ArchivedGeneration> generations = new ArrayList<>();
  private final List<BadRow> bad = new ArrayList<>();
  private final ArchiveReader.Visitor visitor = new ArchiveReader.Visitor() {
    @Override
    public void event(GenerationEvent event) {
      events.add(event);
    }

    @Override
    public void generation(ArchivedGeneration generation) {
      generations.add(generation);
    }

    @Override
    public void bad(BadRow row) {
      bad.add(row);
    }
  };

  private void read(String text, RowFields fields) throws IOException {
    byte[] bytes = text.getBytes(UTF_8);
    new ArchiveReader(fields, TokenSplitter.SIMPLE).read("a.jsonl", new ByteArrayInputStream(bytes), ArchiveFormat.detect(bytes), visitor);
  }

  @Test
  void rowsWithCommonFieldNamesAndBadRowsReportedByLine() throws IOException {
    read("""
        {"prompt": "Tell me", "completion": "Once upon a time.", "model": "m1", "created_at": "2026-01-01T00:00:00Z"}
        {"input": "Q?", "output": "An answer, of sorts."}

        {not json
        {"prompt": "no text here"}
        [1, 2]
        {"prompt": "p", "text": "t", "timestamp": "yesterday"}
        """, RowFields.DEFAULTS);
    assertThat(generations).hasSize(2);
    ArchivedGeneration first = generations.get(0);
    assertThat(first.source()).isEqualTo("a.jsonl:1");
    assertThat(first.prompt()).isEqualTo("Tell me");
    assertThat(first.model()).isEqualTo("m1");
    assertThat(first.time()).isEqualTo(Instant.parse("2026-01-01T00:00:00Z"));
    assertThat(String.join("", first.tokens())).isEqualTo("Once upon a time.");
    assertThat(generations.get(1).prompt()).isEqualTo("Q?");
    assertThat(bad).extracting(BadRow::line).containsExactly(4L, 5L, 6L, 7L);
    assertThat(bad.get(1).reason()).contains("no generated text");
  }

  @Test
  void aJsonArrayOfRowsWithConfiguredFieldNames() throws IOException {
    read("""
        [
          {"q": "First?", "gen": "One.", "ts": 1767225600},
          {"q": "Second?", "gen": "Two."},
          {"q": "Third?"}
        ]
        """, RowFields.DEFAULTS.withPrompt("q").withText("gen").withTime("ts"));
    assertThat(generations).as("bad rows: %s", bad).extracting(ArchivedGeneration::prompt).containsExactly("First?", "Second?");
    assertThat(generations.get(0).time()).isEqualTo(Instant.parse("2026-01-01T00:00:00Z"));
    assertThat(bad).hasSize(1);
    assertThat(bad.get(0).line()).isEqualTo(4);
  }

  @Test
  void driftwatchEventsPassThroughAndInvalidOnesAreBadRows() throws IOException {
    read("""
        {"v":1,"type":"start","generation_id":"g","run_id":"r","model":"m","prompt":"","event_time":"2026-01-01T00:00:00Z"}
        {"v":1,"type":"token","generation_id":"g","seq":0,"text":"Hi","event_time":"2026-01-01T00:00:00.1Z"}
        {"v":1,"type":"token","generation_id":"g","text":"no seq","event_time":"2026-01-01T00:00:00.2Z"}
        {"v":1,"type":"end","generation_id":"g","finish_reason":"stop","event_time":"2026-01-01T00:00:00.3Z"}
        """, RowFields.DEFAULTS);
    assertThat(events).as("bad rows: %s", bad).hasSize(3);
    assertThat(bad).singleElement().satisfies(b -> assertThat(b.line()).isEqualTo(3));
  }

  @Test
  void capturedChatStreamsWithLogprobsAndAStreamThatBrokeOff() throws IOException {
    read("""
        data: {"id":"c1","object":"chat.completion.chunk","created":1767225600,"model":"gpt-x","choices":[{"index":0,"delta":{"role":"assistant","content":""},"logprobs":null,"finish_reason":null}]}

        data: {"id":"c1","object":"chat.completion.chunk","created":1767225600,"model":"gpt-x","choices":[{"index":0,"delta":{"content":"Hello"},"logprobs":{"content":[{"token":"Hello","logprob":-0.1,"top_logprobs":[]}]},"finish_reason":null}]}

        data: {"id":"c1","object":"chat.completion.chunk","created":1767225600,"model":"gpt-x","choices":[{"index":0,"delta":{"content":" world"},"logprobs":{"content":[{"token":" world","logprob":-0.7,"top_logprobs":[]}]},"finish_reason":null}]}

        data: {"id":"c1","object":"chat.completion.chunk","created":1767225600,"model":"gpt-x","choices":[{"index":0,"delta":{},"logprobs":null,"finish_reason":"stop"}]}

        data: [DONE]

        data: {"id":"t2","object":"text_completion","created":1767225601,"model":"davinci-x","choices":[{"index":0,"text":" Once","logprobs":null,"finish_reason":null}]}

        data: {"id":"t2","object":"text_completion","created":1767225601,"model":"davinci-x","choices":[{"index":0,"text":" upon","logprobs":null,"finish_reason":null}]}
        """, RowFields.DEFAULTS);
    assertThat(generations).hasSize(2);
    ArchivedGeneration chat = generations.get(0);
    assertThat(chat.tokens()).containsExactly("Hello", " world");
    assertThat(chat.logprobs()).containsExactly(-0.1, -0.7);
    assertThat(chat.model()).isEqualTo("gpt-x");
    assertThat(chat.finishReason()).isEqualTo("stop");
    assertThat(chat.prompt()).isNull();
    ArchivedGeneration cut = generations.get(1);
    assertThat(cut.tokens()).containsExactly(" Once", " upon");
    assertThat(cut.logprobs()).isNull();
    assertThat(cut.finishReason()).isEqualTo("disconnected");
    assertThat(bad).isEmpty();
  }

  @Test
  void theReplayerNumbersTokensAndNamesGenerationsByRunAndSource() throws IOException {
    List<GenerationEvent> published = new ArrayList<>();
    Instant start = Instant.parse("2026-11-27T00:00:00Z");
    Replayer replayer = new Replayer(published::add, new Replayer.Settings("run-7", 0, "unknown-model"), d -> {}, b -> {}, start);
    byte[] bytes = "{\"prompt\": \"P\", \"text\": \"A b.\"}\n".getBytes(UTF_8);
    new ArchiveReader(RowFields.DEFAULTS, TokenSplitter.SIMPLE).read("f.jsonl", new ByteArrayInputStream(bytes), ArchiveFormat.ROWS_JSONL, replayer);
    assertThat(published).hasSize(5);
    assertThat(published).allSatisfy(e -> {
      assertThat(e.generationId()).isEqualTo("run-7:f.jsonl:1");
      assertThat(e.eventTime()).isEqualTo(start);
    });
    GenerationEvent.Start s = (GenerationEvent.Start) published.get(0);
    assertThat(s.model()).isEqualTo("unknown-model");
    assertThat(s.attributes()).containsEntry("replay_source", "f.jsonl:1");
    assertThat(published.subList(1, 4)).extracting(e -> ((GenerationEvent.Token) e).seq()).containsExactly(0L, 1L, 2L);
    assertThat(replayer.generations()).isEqualTo(1);
  }
}
