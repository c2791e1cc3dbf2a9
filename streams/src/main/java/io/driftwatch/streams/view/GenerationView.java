package io.driftwatch.streams.view;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.driftwatch.contract.AlertEvent;
import io.driftwatch.contract.EventCodec;
import io.driftwatch.contract.GenerationEvent;
import io.driftwatch.contract.ScoreRecord;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * What the web view knows of one generation at a glance: who generates it, how far it has got, its
 * latest scores and its last alerts. One entry per generation in {@link ViewStores#SUMMARIES}; the
 * overview is computed from these alone. The full history lives in {@link ViewStores#DETAILS}.
 *
 * <p>Mutable on purpose: the view processor reads it, applies one event and writes it back. It is
 * also the JSON of {@code /api/generations}, documented in docs/web.md.
 */
@JsonAutoDetect(fieldVisibility = JsonAutoDetect.Visibility.ANY, getterVisibility = JsonAutoDetect.Visibility.NONE,
    isGetterVisibility = JsonAutoDetect.Visibility.NONE)
@JsonInclude(JsonInclude.Include.NON_NULL)
public final class GenerationView {

  public static final String OPEN = "open";
  /** The producer sent its end event; the summary record has not arrived yet. */
  public static final String ENDING = "ending";
  public static final String CLOSED = "closed";

  /** Alerts kept in the summary for the overview's "recent alerts". */
  static final int RECENT_ALERTS = 5;
  /** The prompt is shown, not analysed, so a long one is cut. */
  static final int MAX_PROMPT_CHARS = 4_000;

  private String generationId;
  private String runId;
  private String model;
  private String prompt;
  private Map<String, String> attributes;
  private Instant startTime;
  private Instant lastEventTime;
  private String status = OPEN;
  private String finishReason;
  private String closeReason;
  /** What a guarding tap decided for the generation, from its end event; null when no guarded rule tripped. */
  private GenerationEvent.Guard guard;
  private long tokens;
  private long lastSeq = -1;
  private int storedTokens;
  private int sentences;
  private Map<String, Double> scores = new TreeMap<>();
  private int scoreRecords;
  private int alerts;
  private int alertsFiring;
  private Map<String, String> ruleStates = new TreeMap<>();
  private List<AlertEvent> recentAlerts = new ArrayList<>();
  private int spans;
  /** Wall clock of this instance when the view last changed; only retention reads it. */
  private long lastSeenMillis;

  GenerationView() {}

  public static GenerationView of(String generationId) {
    GenerationView view = new GenerationView();
    view.generationId = generationId;
    return view;
  }

  void onStart(GenerationEvent.Start start) {
    runId = start.runId();
    model = start.model();
    prompt = start.prompt() == null || start.prompt().length() <= MAX_PROMPT_CHARS
        ? start.prompt() : start.prompt().substring(0, MAX_PROMPT_CHARS) + "…";
    attributes = start.attributes().isEmpty() ? null : new TreeMap<>(start.attributes());
    startTime = start.eventTime();
    seen(start.eventTime());
  }

  /** Counts a token; says whether it is new (a duplicate or replayed seq is not shown twice). */
  boolean onToken(long seq, Instant eventTime) {
    seen(eventTime);
    if (seq <= lastSeq) {
      return false;
    }
    lastSeq = seq;
    tokens++;
    return true;
  }

  void onTokenStored() {
    storedTokens++;
  }

  void onEnd(GenerationEvent.End end) {
    finishReason = end.finishReason();
    guard = end.guard();
    if (!CLOSED.equals(status)) {
      status = ENDING;
    }
    seen(end.eventTime());
  }

  void onScore(ScoreRecord record) {
    if (runId == null) {
      runId = record.runId();
      model = record.model();
    }
    scoreRecords++;
    sentences = record.sentences();
    scores = new TreeMap<>(record.scores());
    if (ScoreRecord.SUMMARY.equals(record.kind())) {
      status = CLOSED;
      closeReason = record.closeReason();
    }
    seen(record.eventTime());
  }

  void onAlert(AlertEvent alert) {
    alerts++;
    String before = ruleStates.put(alert.rule(), alert.state());
    boolean wasFiring = AlertEvent.FIRING.equals(before);
    boolean isFiring = AlertEvent.FIRING.equals(alert.state());
    alertsFiring += (isFiring ? 1 : 0) - (wasFiring ? 1 : 0);
    recentAlerts.add(alert);
    if (recentAlerts.size() > RECENT_ALERTS) {
      recentAlerts.remove(0);
    }
    seen(alert.eventTime());
  }

  void onSpan() {
    spans++;
  }

  /**
   * The heap this view is taken to take while live, from what varies: the prompt, attributes, scores,
   * rule states and recent alerts, characters counted as two bytes each; above what a busy view measured
   * ({@code ViewHeapEstimateTest}).
   */
  long heapEstimate() {
    long bytes = 1_024 + 2L * (prompt == null ? 0 : prompt.length()) + 128L * (scores.size() + ruleStates.size())
        + 512L * recentAlerts.size();
    if (attributes != null) {
      for (Map.Entry<String, String> a : attributes.entrySet()) {
        bytes += 64 + 2L * (a.getKey().length() + (a.getValue() == null ? 0 : a.getValue().length()));
      }
    }
    return bytes;
  }

  void touched(long wallClockMillis) {
    lastSeenMillis = wallClockMillis;
  }

  private void seen(Instant eventTime) {
    if (eventTime != null && (lastEventTime == null || eventTime.isAfter(lastEventTime))) {
      lastEventTime = eventTime;
    }
  }

  public String generationId() {
    return generationId;
  }

  public String runId() {
    return runId;
  }

  public String model() {
    return model;
  }

  public GenerationEvent.Guard guard() {
    return guard;
  }

  public String status() {
    return status;
  }

  public boolean closed() {
    return CLOSED.equals(status);
  }

  public long tokens() {
    return tokens;
  }

  public int storedTokens() {
    return storedTokens;
  }

  public int scoreRecords() {
    return scoreRecords;
  }

  public int alerts() {
    return alerts;
  }

  public int alertsFiring() {
    return alertsFiring;
  }

  public int spans() {
    return spans;
  }

  /** Each alert rule that changed state for this generation, and its latest state. */
  public Map<String, String> ruleStates() {
    return java.util.Collections.unmodifiableMap(ruleStates);
  }

  public Map<String, Double> scores() {
    return scores;
  }

  public List<AlertEvent> recentAlerts() {
    return recentAlerts;
  }

  public Instant lastEventTime() {
    return lastEventTime;
  }

  public long lastSeenMillis() {
    return lastSeenMillis;
  }

  public static Serde<GenerationView> serde() {
    return Serdes.serdeFrom(
        (topic, view) -> view == null ? null : EventCodec.toJson(view),
        (topic, bytes) -> {
          if (bytes == null) {
            return null;
          }
          try {
            return EventCodec.fromJson(bytes, GenerationView.class);
          } catch (IOException e) {
            throw new SerializationException("cannot read a generation view", e);
          }
        });
  }
}
