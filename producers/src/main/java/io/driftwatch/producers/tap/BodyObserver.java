package io.driftwatch.producers.tap;

/**
 * Sees a copy of a response body as the tap relays it, after each piece has reached the client. The
 * relay calls exactly one of {@link #complete} or {@link #broken} at the end.
 */
interface BodyObserver {

  /** Bytes just relayed; valid only during the call. */
  void bytes(byte[] buffer, int offset, int length);

  /** The upstream body ended normally. */
  void complete();

  /** The relay stopped before the body's end: the upstream broke off or the client went away. */
  void broken();

  /** For traffic the tap only relays. */
  BodyObserver NONE = new BodyObserver() {
    @Override
    public void bytes(byte[] buffer, int offset, int length) {}

    @Override
    public void complete() {}

    @Override
    public void broken() {}
  };
}
