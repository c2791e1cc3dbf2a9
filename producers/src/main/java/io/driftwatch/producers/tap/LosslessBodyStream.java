package io.driftwatch.producers.tap;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * A response body read as an {@link InputStream} that hands over every byte that arrived before it
 * reports a broken connection.
 *
 * <p>The JDK's {@code BodyHandlers.ofInputStream()} throws as soon as the connection fails, even when
 * buffers that arrived just before the failure are still queued unread. A relay built on it would cut
 * an upstream's broken stream short of what the upstream sent, and the client would see a different
 * break with the tap than without it. Here the failure is queued behind the data, in arrival order.
 */
final class LosslessBodyStream extends InputStream implements HttpResponse.BodySubscriber<InputStream> {

  /** Items requested ahead of the reader, like the JDK stream's queue. */
  private static final int READ_AHEAD = 16;

  private sealed interface Item permits Data, End, Failure {}

  private record Data(List<ByteBuffer> buffers) implements Item {}

  private record End() implements Item {}

  private record Failure(Throwable cause) implements Item {}

  private final BlockingQueue<Item> queue = new LinkedBlockingQueue<>();
  private final CompletableFuture<InputStream> body = CompletableFuture.completedFuture(this);
  private volatile Flow.Subscription subscription;
  private volatile boolean closed;
  private Iterator<ByteBuffer> buffers = List.<ByteBuffer>of().iterator();
  private ByteBuffer current;
  /** Once reached, End or Failure answers every later read the same way. */
  private Item last;

  static HttpResponse.BodyHandler<InputStream> handler() {
    return info -> new LosslessBodyStream();
  }

  @Override
  public CompletionStage<InputStream> getBody() {
    return body;
  }

  @Override
  public void onSubscribe(Flow.Subscription s) {
    Objects.requireNonNull(s);
    synchronized (this) {
      if (subscription != null || closed) {
        s.cancel();
        return;
      }
      subscription = s;
    }
    s.request(READ_AHEAD);
  }

  @Override
  public void onNext(List<ByteBuffer> item) {
    queue.add(new Data(Objects.requireNonNull(item)));
  }

  @Override
  public void onError(Throwable cause) {
    queue.add(new Failure(Objects.requireNonNull(cause)));
  }

  @Override
  public void onComplete() {
    queue.add(new End());
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
  }

  @Override
  public int read(byte[] bytes, int off, int len) throws IOException {
    Objects.checkFromIndexSize(off, len, bytes.length);
    if (len == 0) {
      return 0;
    }
    ByteBuffer buffer = current();
    if (buffer == null) {
      return -1;
    }
    int n = Math.min(len, buffer.remaining());
    buffer.get(bytes, off, n);
    return n;
  }

  @Override
  public int available() {
    return current != null ? current.remaining() : 0;
  }

  /** The buffer to read from, waiting for one if need be; null at the end of the body. */
  private ByteBuffer current() throws IOException {
    while (current == null || !current.hasRemaining()) {
      if (closed) {
        throw new IOException("closed");
      }
      if (buffers.hasNext()) {
        current = buffers.next();
        continue;
      }
      if (last instanceof End) {
        return null;
      }
      if (last instanceof Failure failure) {
        throw new IOException("the response body broke off: " + failure.cause().getMessage(), failure.cause());
      }
      Item item = take();
      if (item instanceof Data data) {
        buffers = data.buffers().iterator();
        Flow.Subscription s = subscription;
        if (s != null) {
          s.request(1);
        }
      } else {
        last = item;
      }
    }
    return current;
  }

  private Item take() {
    while (true) {
      try {
        return queue.take();
      } catch (InterruptedException e) {
        // As the JDK's stream does: a body is read to its end or its break; close() is how to stop early.
      }
    }
  }

  @Override
  public void close() {
    Flow.Subscription s;
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      s = subscription;
    }
    if (s != null) {
      s.cancel();
    }
    queue.add(new End()); // wakes a reader waiting in another thread
  }
}
