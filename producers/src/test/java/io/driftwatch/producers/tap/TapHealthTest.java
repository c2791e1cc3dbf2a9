package io.driftwatch.producers.tap;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class TapHealthTest {

  @Test
  void kafkaGoingAndComingIsSaidOnceEachAndNeverMakesTheRelayUnready() {
    AtomicBoolean kafkaUp = new AtomicBoolean(true);
    AtomicBoolean relaying = new AtomicBoolean(true);
    AtomicLong now = new AtomicLong(1_000_000);
    ListAppender<ILoggingEvent> logs = new ListAppender<>();
    logs.start();
    Logger logger = (Logger) LoggerFactory.getLogger(TapHealth.class);
    logger.addAppender(logs);
    try {
      io.driftwatch.producers.health.KafkaReachability kafka = new io.driftwatch.producers.health.KafkaReachability(() -> {
        if (!kafkaUp.get()) {
          throw new java.util.concurrent.TimeoutException("timed out");
        }
      }, () -> { }, "127.0.0.1:9092", TapHealth.MEANWHILE, LoggerFactory.getLogger(TapHealth.class), now::get);
      TapHealth health = new TapHealth(kafka, relaying::get);
      kafka.probe();
      kafkaUp.set(false);
      for (int i = 0; i < 3; i++) {
        now.addAndGet(5_000);
        kafka.probe();
      }
      assertThat(health.kafkaReachable()).isFalse();
      assertThat(health.ready()).as("the tap fails open").isTrue();
      assertThat(health.json()).contains("\"kafka_reachable\":false", "kafka_unreachable_since");
      kafkaUp.set(true);
      now.addAndGet(5_000);
      kafka.probe();
      assertThat(logs.list).extracting(ILoggingEvent::getLevel).containsExactly(Level.WARN, Level.INFO);
      assertThat(logs.list.get(0).getFormattedMessage()).startsWith("Kafka unreachable since").contains("still relayed");
      assertThat(logs.list.get(1).getFormattedMessage()).contains("reconnected after 15 s");
      relaying.set(false);
      assertThat(health.ready()).isFalse();
    } finally {
      logger.detachAppender(logs);
    }
  }
}
