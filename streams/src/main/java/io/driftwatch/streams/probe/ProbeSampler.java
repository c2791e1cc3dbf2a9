package io.driftwatch.streams.probe;

import java.nio.charset.StandardCharsets;

/**
 * Chooses the generations the live probe measures by a hash of their id, not by chance: every instance,
 * and a restarted one, picks the same generations, so a generation is never probed twice because two
 * instances disagreed, and a rerun over the same traffic probes the same ones.
 *
 * @param rate the share of generations sampled, in (0, 1]
 */
public record ProbeSampler(double rate) {

  public ProbeSampler {
    if (!(rate > 0 && rate <= 1)) {
      throw new IllegalArgumentException("the probe rate is a share of generations in (0, 1], not " + rate);
    }
  }

  public boolean sampled(String generationId) {
    return rate >= 1 || unitHash(generationId) < rate;
  }

  /**
   * The id's position in [0, 1): FNV-1a over its UTF-8 bytes, then a finalising mix, since FNV alone
   * leaves ids that differ in their last character close together in the high bits.
   */
  static double unitHash(String generationId) {
    long h = 0xcbf29ce484222325L;
    for (byte b : generationId.getBytes(StandardCharsets.UTF_8)) {
      h ^= b & 0xff;
      h *= 0x100000001b3L;
    }
    h ^= h >>> 33;
    h *= 0xff51afd7ed558ccdL;
    h ^= h >>> 33;
    h *= 0xc4ceb9fe1a85ec53L;
    h ^= h >>> 33;
    return (h >>> 11) * 0x1.0p-53;
  }
}
