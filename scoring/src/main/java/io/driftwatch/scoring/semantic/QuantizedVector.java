package io.driftwatch.scoring.semantic;

import io.driftwatch.scoring.state.StateInput;
import io.driftwatch.scoring.state.StateOutput;

/**
 * A unit vector kept in the state store as one signed byte per dimension with a shared scale (symmetric
 * int8 quantisation): 388 bytes instead of 1,536 for a 384-dimension embedding, so that a generation's
 * state stays small. Cosines between quantised unit vectors differ from the exact ones by well under
 * 0.01; the quantisation is a pure function of the vector, so replays stay identical.
 */
public record QuantizedVector(float scale, byte[] values) {

  public static QuantizedVector of(float[] vector) {
    float max = 0;
    for (float v : vector) {
      max = Math.max(max, Math.abs(v));
    }
    float scale = max == 0 ? 1f : max / 127f;
    byte[] q = new byte[vector.length];
    for (int i = 0; i < vector.length; i++) {
      q[i] = (byte) Math.round(vector[i] / scale);
    }
    return new QuantizedVector(scale, q);
  }

  void writeTo(StateOutput out) {
    out.float32(scale);
    out.bytes(values);
  }

  static QuantizedVector readFrom(StateInput in) {
    float scale = in.float32();
    return new QuantizedVector(scale, in.bytes());
  }

  /** Cosine with another quantised vector (both were unit vectors before quantisation). */
  public double cosine(QuantizedVector other) {
    requireSameDimensions(other.values.length);
    long dot = 0;
    long na = 0;
    long nb = 0;
    for (int i = 0; i < values.length; i++) {
      dot += values[i] * other.values[i];
      na += values[i] * values[i];
      nb += other.values[i] * other.values[i];
    }
    return na == 0 || nb == 0 ? 0 : dot / Math.sqrt((double) na * nb);
  }

  /** Cosine with an exact unit vector. */
  public double cosine(float[] unit) {
    requireSameDimensions(unit.length);
    double dot = 0;
    double norm = 0;
    for (int i = 0; i < values.length; i++) {
      dot += values[i] * (double) unit[i];
      norm += values[i] * (double) values[i];
    }
    return norm == 0 ? 0 : dot / Math.sqrt(norm);
  }

  private void requireSameDimensions(int other) {
    if (other != values.length) {
      throw new IllegalArgumentException("embeddings of " + other + " dimensions meet stored ones of " + values.length
          + ": was the embedding model changed while generations were open?");
    }
  }
}
