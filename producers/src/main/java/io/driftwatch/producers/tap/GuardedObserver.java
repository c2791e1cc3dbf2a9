package io.driftwatch.producers.tap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes sure reading the traffic can never break relaying it: any exception a parser throws is
 * counted and logged (its type only: a message could quote the body) and the parser is switched off
 * for the rest of the response, while the bytes keep flowing to the client.
 */
final class GuardedObserver implements BodyObserver {

  private static final Logger log = LoggerFactory.getLogger(GuardedObserver.class);

  private final BodyObserver delegate;
  private final TapMetrics metrics;
  private boolean failed;

  GuardedObserver(BodyObserver delegate, TapMetrics metrics) {
    this.delegate = delegate;
    this.metrics = metrics;
  }

  @Override
  public void bytes(byte[] buffer, int offset, int length) {
    run(() -> delegate.bytes(buffer, offset, length));
  }

  @Override
  public void complete() {
    run(delegate::complete);
  }

  @Override
  public void broken() {
    run(delegate::broken);
  }

  private void run(Runnable call) {
    if (failed) {
      return;
    }
    try {
      call.run();
    } catch (RuntimeException e) {
      failed = true;
      metrics.parseError("internal");
      log.warn("stopped reading a response after an unexpected {}; the response is still relayed", e.getClass().getName());
    }
  }
}
