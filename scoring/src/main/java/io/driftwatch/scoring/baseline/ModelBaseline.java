package io.driftwatch.scoring.baseline;

import io.driftwatch.contract.Score;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One model's baseline: for every alertable score, a sketch of the generation's maximum of that score
 * over the generations it learned from, and how many generations that was.
 *
 * <p>The maximum, not each sentence's value: a rule fires on a generation as soon as one sentence
 * crosses its threshold, so a threshold at the baseline's 99.5th percentile of maxima fires on about
 * 0.5% of normal generations, whatever their length.
 */
public final class ModelBaseline {

  /**
   * The scores with a baseline: those the alert rules watch (docs/scores.md). Each has a
   * generation-level maximum, {@code max_<score>}, on the summary record, which is what is learned.
   */
  public static final List<String> SCORES = Score.alertable().stream().map(Score::wireName).toList();

  /** Prefix of the summary's generation-level maximum of a score. */
  public static final String MAX_PREFIX = Score.MAX_PREFIX;

  /** Binary form's version: its first byte. A change of layout gets a new number, and old forms still read. */
  static final byte VERSION = 1;

  private int generations;
  private final TreeMap<String, ScoreSketch> sketches = new TreeMap<>();

  public ModelBaseline() {}

  /** Generations learned from. */
  public int generations() {
    return generations;
  }

  /** The sketch of each score that had a value in at least one of those generations. */
  public Map<String, ScoreSketch> sketches() {
    return Collections.unmodifiableMap(sketches);
  }

  /** Learns one generation from its summary scores: the maximum of each alertable score, where defined. */
  public void learn(Map<String, Double> summaryScores) {
    generations++;
    for (String score : SCORES) {
      Double max = summaryScores.get(MAX_PREFIX + score);
      if (max != null && Double.isFinite(max)) {
        sketches.computeIfAbsent(score, k -> new ScoreSketch()).add(max);
      }
    }
  }

  public byte[] encode() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeByte(VERSION);
      out.writeInt(generations);
      out.writeShort(sketches.size());
      for (Map.Entry<String, ScoreSketch> e : sketches.entrySet()) {
        byte[] sketch = e.getValue().encode();
        out.writeUTF(e.getKey());
        out.writeInt(sketch.length);
        out.write(sketch);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  /** Reads a baseline written by {@link #encode}; a version this build does not know is an error. */
  public static ModelBaseline decode(byte[] bytes) {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
      byte version = in.readByte();
      if (version != VERSION) {
        throw new IllegalArgumentException("baseline format version " + version + " is not known to this build (it reads "
            + VERSION + ")");
      }
      ModelBaseline baseline = new ModelBaseline();
      baseline.generations = in.readInt();
      int count = in.readUnsignedShort();
      for (int i = 0; i < count; i++) {
        String score = in.readUTF();
        byte[] sketch = new byte[in.readInt()];
        in.readFully(sketch);
        baseline.sketches.put(score, ScoreSketch.decode(sketch));
      }
      return baseline;
    } catch (IOException e) {
      throw new IllegalArgumentException("not a baseline: " + e.getMessage(), e);
    }
  }
}
