package io.driftwatch.producers.tap;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class LosslessBodyStreamTest {

  private static final class CountingSubscription implements Flow.Subscription {
    final AtomicLong requested = new AtomicLong();
    final AtomicBoolean cancelled = new AtomicBoolean();

    @Override
    public void request(long n) {
      requested.addAndGet(n);
    }

    @Override
    public void cancel() {
      cancelled.set(true);
    }
  }

  private static List<ByteBuffer> item(String... parts) {
    return java.util.Arrays.stream(parts).map(p -> ByteBuffer.wrap(p.getBytes(UTF_8))).toList();
  }

  /** Reads until the end or a failure; returns what was read and the failure, if any. */
  private static String readAll(InputStream in, IOException[] failure) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buffer = new byte[3];
    try {
      int n;
      while ((n = in.read(buffer)) >= 0) {
        out.write(buffer, 0, n);
      }
    } catch (IOException e) {
      failure[0] = e;
    }
    return out.toString(UTF_8);
  }

  @Test
  void everyByteThatArrivedBeforeABreakIsReadBeforeTheBreakIsReported() {
    LosslessBodyStream stream = new LosslessBodyStream();
    stream.onSubscribe(new CountingSubscription());
    stream.onNext(item("data: one\n\n", "data: tw"));
    stream.onNext(item("o\n\ndata: thr"));
    stream.onError(new IOException("connection reset"));

    IOException[] failure = new IOException[1];
    assertThat(readAll(stream, failure)).isEqualTo("data: one\n\ndata: two\n\ndata: thr");
    assertThat(failure[0]).hasMessageContaining("broke off").hasRootCauseMessage("connection reset");
    assertThatThrownBy(() -> stream.read()).as("a break stays a break").isInstanceOf(IOException.class);
  }

  @Test
  void aCompleteBodyEndsWithMinusOneAndStaysEnded() throws IOException {
    LosslessBodyStream stream = new LosslessBodyStream();
    stream.onSubscribe(new CountingSubscription());
    stream.onNext(item("a", "", "bc"));
    stream.onNext(List.of());
    stream.onNext(item("d"));
    stream.onComplete();

    IOException[] failure = new IOException[1];
    assertThat(readAll(stream, failure)).isEqualTo("abcd");
    assertThat(failure[0]).isNull();
    assertThat(stream.read()).isEqualTo(-1);
    assertThat(stream.read(new byte[4], 0, 0)).isZero();
  }

  @Test
  void demandFollowsTheReaderOneItemPerItemTaken() throws IOException {
    LosslessBodyStream stream = new LosslessBodyStream();
    CountingSubscription subscription = new CountingSubscription();
    stream.onSubscribe(subscription);
    long ahead = subscription.requested.get();
    assertThat(ahead).isPositive();
    stream.onNext(item("xy"));
    stream.onNext(item("z"));
    assertThat(stream.read()).isEqualTo('x');
    assertThat(subscription.requested.get()).isEqualTo(ahead + 1);
    assertThat(stream.read()).isEqualTo('y');
    assertThat(subscription.requested.get()).as("still within the first item").isEqualTo(ahead + 1);
    assertThat(stream.read()).isEqualTo('z');
    assertThat(subscription.requested.get()).isEqualTo(ahead + 2);
  }

  @Test
  void closeCancelsTheResponseAndWakesAReaderWaitingInAnotherThread() throws Exception {
    LosslessBodyStream stream = new LosslessBodyStream();
    CountingSubscription subscription = new CountingSubscription();
    stream.onSubscribe(subscription);
    CompletableFuture<Throwable> reader = CompletableFuture.supplyAsync(() -> {
      try {
        stream.read();
        return null;
      } catch (IOException e) {
        return e;
      }
    });
    Thread.sleep(50);
    assertThat(reader).isNotDone();
    stream.close();
    assertThat(reader.get(5, TimeUnit.SECONDS)).isInstanceOf(IOException.class).hasMessage("closed");
    assertThat(subscription.cancelled).isTrue();
  }

  @Test
  void aSecondSubscriptionIsCancelled() {
    LosslessBodyStream stream = new LosslessBodyStream();
    CountingSubscription first = new CountingSubscription();
    CountingSubscription second = new CountingSubscription();
    stream.onSubscribe(first);
    stream.onSubscribe(second);
    assertThat(second.cancelled).isTrue();
    assertThat(second.requested).hasValue(0);
    assertThat(first.cancelled).isFalse();
    assertThat(stream.getBody()).isCompletedWithValue(stream);
  }
}
