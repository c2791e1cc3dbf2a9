package io.driftwatch.attribution;

import java.io.ByteArrayOutputStream;

/**
 * A compact binary form of {@link MatchState} for state stores: a version byte, the index fingerprint,
 * then unsigned LEB128 varints. Only the remembered words of the current match are written, so a state
 * in fresh text is a few dozen bytes. Upper bound with default settings: 1,024 remembered word ids of at
 * most 5 bytes (3 for vocabularies under two million words), 64 sources of at most 15 bytes, about 130
 * bytes of counters: under 6.3 KB.
 */
public final class MatchStateCodec {

  private static final int VERSION = 1;
  /** Refuses to allocate rings beyond this when decoding (a corrupt state must not exhaust memory). */
  static final int MAX_WINDOW = 1 << 20;

  private MatchStateCodec() {}

  public static byte[] encode(MatchState state) {
    Writer out = new Writer();
    out.bytes.write(VERSION);
    out.fixed64(state.indexId);
    out.varint(state.window());
    out.varint(state.words);
    out.varint(state.matchLength);
    out.varint(Ranges.lo(state.range));
    out.varint(Ranges.hi(state.range));
    out.bytes.write((state.verbatimRaised ? 1 : 0) | (state.finished ? 2 : 0) | (state.sourcesTruncated ? 4 : 0));
    out.varint(state.longestSpan);
    out.varint(state.spans);
    for (int k = 0; k < MatchState.LENGTHS; k++) {
      out.varint(state.covered[k]);
      out.varint(state.coveredUpTo[k] + 1);
    }
    int remembered = state.remembered();
    for (int p = state.words - remembered; p < state.words; p++) {
      out.varint(state.wordAt(p));
    }
    out.varint(state.sourceCount);
    for (int s = 0; s < state.sourceCount; s++) {
      out.varint(state.sourceDocuments[s]);
      out.varint(state.sourceWeights[s]);
    }
    out.varint(state.pooledWeight);
    return out.bytes.toByteArray();
  }

  /** @throws IllegalArgumentException if the bytes are not a state written by {@link #encode} */
  public static MatchState decode(byte[] bytes) {
    Reader in = new Reader(bytes);
    int version = in.u8();
    if (version != VERSION) {
      throw new IllegalArgumentException("match state version " + version + ", expected " + VERSION);
    }
    long indexId = in.fixed64();
    int window = in.int32();
    if (window < 1 || window > MAX_WINDOW) {
      throw new IllegalArgumentException("match state window " + window + " out of range");
    }
    MatchState state = new MatchState(indexId, window);
    state.words = in.int32();
    state.matchLength = in.int32();
    int lo = in.int32();
    state.range = Ranges.of(lo, in.int32());
    int flags = in.u8();
    state.verbatimRaised = (flags & 1) != 0;
    state.finished = (flags & 2) != 0;
    state.sourcesTruncated = (flags & 4) != 0;
    state.longestSpan = in.int32();
    state.spans = in.int32();
    for (int k = 0; k < MatchState.LENGTHS; k++) {
      state.covered[k] = in.int32();
      state.coveredUpTo[k] = in.int32() - 1;
    }
    int remembered = state.remembered();
    for (int p = state.words - remembered; p < state.words; p++) {
      state.remember(p, in.int32());
    }
    state.sourceCount = in.int32();
    state.sourceDocuments = new int[state.sourceCount];
    state.sourceWeights = new long[state.sourceCount];
    for (int s = 0; s < state.sourceCount; s++) {
      state.sourceDocuments[s] = in.int32();
      state.sourceWeights[s] = in.varint();
    }
    state.pooledWeight = in.varint();
    if (in.at != bytes.length) {
      throw new IllegalArgumentException("trailing bytes after match state");
    }
    return state;
  }

  private static final class Writer {
    final ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);

    void varint(long value) {
      while ((value & ~0x7FL) != 0) {
        bytes.write((int) ((value & 0x7F) | 0x80));
        value >>>= 7;
      }
      bytes.write((int) value);
    }

    void fixed64(long value) {
      for (int i = 0; i < 8; i++) {
        bytes.write((int) (value >>> (8 * i)));
      }
    }
  }

  private static final class Reader {
    final byte[] bytes;
    int at;

    Reader(byte[] bytes) {
      this.bytes = bytes;
    }

    int u8() {
      if (at >= bytes.length) {
        throw new IllegalArgumentException("truncated match state");
      }
      return bytes[at++] & 0xFF;
    }

    long fixed64() {
      long value = 0;
      for (int i = 0; i < 8; i++) {
        value |= (long) u8() << (8 * i);
      }
      return value;
    }

    long varint() {
      long value = 0;
      for (int shift = 0; shift < 64; shift += 7) {
        int b = u8();
        value |= (long) (b & 0x7F) << shift;
        if ((b & 0x80) == 0) {
          return value;
        }
      }
      throw new IllegalArgumentException("malformed varint in match state");
    }

    int int32() {
      long value = varint();
      if (value < 0 || value > Integer.MAX_VALUE) {
        throw new IllegalArgumentException("value out of range in match state: " + value);
      }
      return (int) value;
    }
  }
}
