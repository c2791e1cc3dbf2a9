package io.driftwatch.scoring.baseline;

import com.tdunning.math.stats.MergingDigest;
import java.nio.ByteBuffer;

/**
 * The distribution of one score in a model's normal traffic: a t-digest (com.tdunning:t-digest), which
 * keeps a few hundred centroids whatever the number of values and is most accurate in the tails, where
 * percentile rules set their thresholds.
 */
public final class ScoreSketch {

  /**
   * The t-digest's compression: at most about 2 x 100 centroids (a few KB). Its documented accuracy is
   * best in the tails; docs/scores.md (Baselines) gives the error measured against exact percentiles.
   */
  static final double COMPRESSION = 100;

  private final MergingDigest digest;

  public ScoreSketch() {
    this(new MergingDigest(COMPRESSION));
  }

  private ScoreSketch(MergingDigest digest) {
    this.digest = digest;
  }

  public void add(double value) {
    if (Double.isFinite(value)) {
      digest.add(value);
    }
  }

  public long count() {
    return digest.size();
  }

  /** The share of the baseline's values at or below {@code value}, in percent (0 to 100). */
  public double percentile(double value) {
    return 100 * digest.cdf(value);
  }

  /** The value below which {@code percent} percent of the baseline's values lie. */
  public double quantile(double percent) {
    return digest.quantile(percent / 100);
  }

  /** The digest's own compact form (its verbose encoding: exact doubles, so a round trip changes nothing). */
  byte[] encode() {
    ByteBuffer buffer = ByteBuffer.allocate(digest.byteSize());
    digest.asBytes(buffer);
    return buffer.array();
  }

  static ScoreSketch decode(byte[] bytes) {
    return new ScoreSketch(MergingDigest.fromBytes(ByteBuffer.wrap(bytes)));
  }
}
