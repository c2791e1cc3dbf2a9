package io.driftwatch.scoring.engine;

import io.driftwatch.scoring.state.StateInput;
import io.driftwatch.scoring.state.StateOutput;

/**
 * Serialises {@link GenerationState} for state stores and their changelogs: one version byte
 * ({@link #VERSION}) for the whole state, then the state's fields, each scorer writing its own
 * ({@code writeTo}) and reading them back ({@code readFrom}) with the primitives of {@link StateOutput}
 * and {@link StateInput}. Compact because the state store encodes every changed generation's state at
 * every commit.
 *
 * <p>Changing what a scorer writes, or the order, needs a new {@link #VERSION}: a state of another
 * version is refused with a clear message rather than read as something else.
 */
public final class StateCodec {

  /** First byte of every encoded state. */
  static final int VERSION = 7;

  private StateCodec() {}

  public static byte[] encode(GenerationState state) {
    StateOutput out = new StateOutput();
    out.writeByte(VERSION);
    state.writeTo(out);
    byte[] bytes = out.toByteArray();
    state.encodedBytes = bytes.length;
    return bytes;
  }

  /** @throws IllegalArgumentException if the bytes are not a whole state of this version */
  public static GenerationState decode(byte[] bytes) {
    if (bytes.length == 0) {
      throw new IllegalArgumentException("empty generation state");
    }
    StateInput in = new StateInput(bytes);
    int version = in.readByte();
    if (version != VERSION) {
      throw new IllegalArgumentException("generation state of format version " + version + "; this build reads version "
          + VERSION + " only (written by another build of Driftwatch? its open generations cannot be resumed)");
    }
    GenerationState state = GenerationState.readFrom(in);
    in.end();
    state.encodedBytes = bytes.length;
    return state;
  }
}
