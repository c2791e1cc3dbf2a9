package io.driftwatch.streams.scoring;

/**
 * One stream task's load-shedding policy (docs/scores.md, Load shedding). Measures online how fast the
 * model drains the task's waiting sentences and how fast sentences arrive, and decides, for each
 * generation as it starts, whether it gets semantic scores: all of them while the backlog is small; while
 * it is too large, only generations whose id hashes below the share the model can keep up with. The
 * decision is for the whole generation, so it is either fully scored or flagged shed.
 *
 * <p>Plain Java driven by the caller's clock, so that tests step it by hand.
 */
public final class SemanticShedder {

  /**
   * Weight of the newest measurement in the moving averages: with one measurement a second, a change of
   * rate shows within a few seconds, and one slow batch does not swing the estimate.
   */
  static final double SMOOTHING = 0.5;
  /**
   * Share of the model's rate admitted while shedding: the rest of its time works the backlog off, so
   * shedding ends even when arrivals stay high.
   */
  static final double HEADROOM = 0.9;

  private final LoadShedding bounds;
  private long lastUpdateMillis = -1;
  private long backlogAtLastUpdate;
  private long arrived;
  private long drained;
  /** Sentences the model completes per second while it has work, or NaN before the first measurement. */
  private double drainRate = Double.NaN;
  /** Sentences completed per second, semantic or shed, or NaN before the first measurement. */
  private double arrivalRate = Double.NaN;
  private long backlog;
  private boolean shedding;
  private double keepShare = 1;

  public SemanticShedder(LoadShedding bounds) {
    this.bounds = bounds;
  }

  /** Sentences completed (of every generation: shed ones count too, as load the model was spared). */
  public void arrived(int sentences) {
    arrived += sentences;
  }

  /** Texts whose embeddings were applied. */
  public void drained(int texts) {
    drained += texts;
  }

  /**
   * Measures the rates once an interval has passed, and turns shedding on or off.
   *
   * @param waiting texts waiting for the model now, in flight included
   * @return whether it measured (an interval had passed)
   */
  public boolean update(long nowMillis, long waiting) {
    backlog = waiting;
    if (lastUpdateMillis < 0) {
      lastUpdateMillis = nowMillis;
      backlogAtLastUpdate = waiting;
      arrived = 0;
      drained = 0;
      return false;
    }
    long elapsed = nowMillis - lastUpdateMillis;
    if (elapsed < bounds.interval().toMillis()) {
      return false;
    }
    double seconds = elapsed / 1000.0;
    arrivalRate = smooth(arrivalRate, arrived / seconds);
    // Only an interval the model was busy throughout says how fast it drains: in one where the queue ran
    // dry, it drained what came, not what it could. A model that drained nothing while texts waited
    // measures as zero (stuck or starved of CPU), and the backlog then counts as endless.
    if (backlogAtLastUpdate > 0 && waiting > 0) {
      drainRate = smooth(drainRate, drained / seconds);
    }
    lastUpdateMillis = nowMillis;
    backlogAtLastUpdate = waiting;
    arrived = 0;
    drained = 0;
    double wait = backlogSeconds();
    if (!shedding && wait > bounds.shedAbove().toMillis() / 1000.0) {
      shedding = true;
    } else if (shedding && wait < bounds.recoverBelow().toMillis() / 1000.0) {
      shedding = false;
    }
    keepShare = shedding ? keepShare() : 1;
    return true;
  }

  /** Whether a generation starting now gets semantic scores. The same id gets the same answer at the same share. */
  public boolean admits(String generationId) {
    return !shedding || rank(generationId) < keepShare;
  }

  public boolean shedding() {
    return shedding;
  }

  /** Share of starting generations that get semantic scores: 1 unless shedding. */
  public double keepShare() {
    if (!shedding) {
      return 1;
    }
    if (Double.isNaN(drainRate) || drainRate <= 0) {
      return 0;
    }
    if (Double.isNaN(arrivalRate) || arrivalRate <= 0) {
      return 1;
    }
    return Math.min(1, HEADROOM * drainRate / arrivalRate);
  }

  /** How long the model would take to drain what waits, in seconds: infinite if it drains nothing. */
  public double backlogSeconds() {
    if (backlog == 0) {
      return 0;
    }
    if (Double.isNaN(drainRate)) {
      // No full busy interval measured yet: too early to call it a backlog.
      return 0;
    }
    return drainRate <= 0 ? Double.POSITIVE_INFINITY : backlog / drainRate;
  }

  public double drainRate() {
    return drainRate;
  }

  public double arrivalRate() {
    return arrivalRate;
  }

  /**
   * A generation's place in [0, 1): its id's String hash (the same in every JVM), mixed so that ids
   * differing in their last character spread over the whole range (MurmurHash3's finaliser).
   */
  static double rank(String generationId) {
    int h = generationId.hashCode();
    h ^= h >>> 16;
    h *= 0x85ebca6b;
    h ^= h >>> 13;
    h *= 0xc2b2ae35;
    h ^= h >>> 16;
    return (h & 0xffffffffL) / 4294967296.0;
  }

  private static double smooth(double average, double sample) {
    return Double.isNaN(average) ? sample : SMOOTHING * sample + (1 - SMOOTHING) * average;
  }
}
