package io.driftwatch.producers.replay;

import io.driftwatch.contract.GenerationEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Turns what an {@link ArchiveReader} finds into token events and publishes them: a start (with the
 * prompt and the archive source as attribute {@code replay_source}), one token event per token (with
 * its logprob when the archive has it), and an end.
 *
 * <p>Generation ids are {@code <run id>:<source>}, for example {@code replay-1:chats.jsonl:17}: unique per
 * replay (the monitor remembers closed ids, so a second replay must not reuse them) and deterministic
 * per row, so two replays of a file compare row by row. Events of a Driftwatch events archive get
 * {@code <run id>:<their id>} and the replay's run id, for the same reason. Event times come from the archive; where it
 * has none, every event of the replay carries the replay's start time, so nothing in the scores
 * depends on how fast the replay ran (there is then no {@code tokens_per_second}).
 *
 * <p>Timing: as fast as possible by default; with a speed factor, items are paced by their archive
 * times divided by the factor (2.0 replays twice as fast as it happened).
 */
public final class Replayer implements ArchiveReader.Visitor {

  /**
   * @param runId the run id of every generation of this replay
   * @param speed 0 for as fast as possible, else the factor applied to archive time
   * @param defaultModel the model of generations whose archive does not say
   */
  public record Settings(String runId, double speed, String defaultModel) {
    public Settings {
      Objects.requireNonNull(runId);
      Objects.requireNonNull(defaultModel);
      if (speed < 0 || Double.isNaN(speed)) {
        throw new IllegalArgumentException("speed must be 0 (as fast as possible) or positive, got " + speed);
      }
    }
  }

  /** Waits; a seam so that tests need not sleep. */
  @FunctionalInterface
  public interface Sleeper {
    void sleep(Duration duration) throws InterruptedException;
  }

  private final Consumer<GenerationEvent> out;
  private final Settings settings;
  private final Sleeper sleeper;
  private final Consumer<BadRow> badRows;
  private final Instant replayStart;
  private Instant firstArchiveTime;
  private long firstWallNanos;
  private long generations;
  private long events;
  private long bad;

  public Replayer(Consumer<GenerationEvent> out, Settings settings, Sleeper sleeper, Consumer<BadRow> badRows, Instant replayStart) {
    this.out = out;
    this.settings = settings;
    this.sleeper = sleeper;
    this.badRows = badRows;
    this.replayStart = replayStart;
  }

  @Override
  public void event(GenerationEvent event) {
    pace(event.eventTime());
    if (event instanceof GenerationEvent.Start) {
      generations++;
    }
    publish(renamed(event, settings.runId()));
  }

  /** The event under the id {@code <run id>:<its id>}, and a start under the run id too. */
  static GenerationEvent renamed(GenerationEvent event, String runId) {
    String id = runId + ":" + event.generationId();
    if (event instanceof GenerationEvent.Start s) {
      return new GenerationEvent.Start(s.v(), id, runId, s.model(), s.prompt(), s.sampling(), s.attributes(), s.eventTime());
    } else if (event instanceof GenerationEvent.Token t) {
      return new GenerationEvent.Token(t.v(), id, t.seq(), t.text(), t.tokenId(), t.logprob(), t.topLogprobs(), t.eventTime());
    } else if (event instanceof GenerationEvent.Chunk c) {
      return new GenerationEvent.Chunk(c.v(), id, c.seq(), c.tokens(), c.eventTime());
    }
    GenerationEvent.End e = (GenerationEvent.End) event;
    return new GenerationEvent.End(e.v(), id, e.finishReason(), e.eventTime());
  }

  @Override
  public void generation(ArchivedGeneration g) {
    pace(g.time());
    Instant at = g.time() != null ? g.time() : replayStart;
    String id = settings.runId() + ":" + g.source();
    String model = g.model() != null ? g.model() : settings.defaultModel();
    // The contract wants a prompt; captured streams have none, which the empty string says.
    publish(new GenerationEvent.Start(GenerationEvent.SCHEMA_VERSION, id, settings.runId(), model, g.prompt() == null ? "" : g.prompt(), null,
        Map.of("replay_source", g.source()), at));
    List<String> tokens = g.tokens();
    for (int i = 0; i < tokens.size(); i++) {
      Double logprob = g.logprobs() == null ? null : g.logprobs().get(i);
      publish(new GenerationEvent.Token(GenerationEvent.SCHEMA_VERSION, id, (long) i, tokens.get(i), null, logprob, null, at));
    }
    publish(new GenerationEvent.End(GenerationEvent.SCHEMA_VERSION, id, g.finishReason() != null ? g.finishReason() : "unknown", at));
    generations++;
  }

  @Override
  public void bad(BadRow row) {
    bad++;
    badRows.accept(row);
  }

  private void publish(GenerationEvent event) {
    out.accept(event);
    events++;
  }

  private void pace(Instant archiveTime) {
    if (settings.speed() == 0 || archiveTime == null) {
      return;
    }
    if (firstArchiveTime == null) {
      firstArchiveTime = archiveTime;
      firstWallNanos = System.nanoTime();
      return;
    }
    long dueNanos = firstWallNanos + (long) (Duration.between(firstArchiveTime, archiveTime).toNanos() / settings.speed());
    long wait = dueNanos - System.nanoTime();
    if (wait > 0) {
      try {
        sleeper.sleep(Duration.ofNanos(wait));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("replay interrupted", e);
      }
    }
  }

  public long generations() {
    return generations;
  }

  public long events() {
    return events;
  }

  public long badRows() {
    return bad;
  }
}
