package io.driftwatch.streams.app;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.driftwatch.producers.health.KafkaReachability;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class MonitorHealthTest {

  private final AtomicReference<KafkaStreams.State> state = new AtomicReference<>(KafkaStreams.State.RUNNING);
  private final AtomicBoolean kafkaUp = new AtomicBoolean(true);
  private final AtomicLong now = new AtomicLong(1_000_000);
  private final Map<MetricName, Metric> metrics = new HashMap<>();
  private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
  private MonitorHealth health;
  private KafkaReachability kafka;

  @BeforeEach
  void setUp() {
    ((Logger) LoggerFactory.getLogger(MonitorHealth.class)).addAppender(logs);
    logs.start();
    kafka = new KafkaReachability(() -> {
      if (!kafkaUp.get()) {
        throw new java.util.concurrent.TimeoutException("timed out waiting for a node assignment");
      }
    }, () -> { }, "127.0.0.1:9092", MonitorHealth.MEANWHILE, LoggerFactory.getLogger(MonitorHealth.class), now::get);
    health = new MonitorHealth(state::get, () -> metrics, kafka, Duration.ofSeconds(60), now::get);
    set("stream-thread-metrics", "commit-total", Map.of("thread-id", "t1"), 10);
    set("consumer-fetch-manager-metrics", "records-lag", Map.of("client-id", "app-StreamThread-1-consumer", "topic", "tokens",
        "partition", "0"), 0);
  }

  @AfterEach
  void tearDown() {
    ((Logger) LoggerFactory.getLogger(MonitorHealth.class)).detachAppender(logs);
  }

  @Test
  void aRunningMonitorWithKafkaIsReady() {
    kafka.probe();
    assertThat(health.report().ready()).isTrue();
    assertThat(health.report().live()).isTrue();
  }

  @Test
  void anUnreachableKafkaIsSaidOnceAndItsReturnOnce() {
    kafka.probe();
    kafkaUp.set(false);
    for (int i = 0; i < 4; i++) {
      now.addAndGet(5_000);
      kafka.probe();
    }
    MonitorHealth.Report down = health.report();
    assertThat(down.ready()).isFalse();
    assertThat(down.live()).isTrue();
    assertThat(down.kafkaReachable()).isFalse();
    assertThat(down.reasons()).singleElement().asString().contains("Kafka unreachable at 127.0.0.1:9092");
    kafkaUp.set(true);
    now.addAndGet(5_000);
    kafka.probe();
    kafka.probe();
    assertThat(health.report().ready()).isTrue();
    assertThat(logs.list).extracting(ILoggingEvent::getLevel).containsExactly(Level.WARN, Level.INFO);
    assertThat(logs.list.get(0).getFormattedMessage()).startsWith("Kafka unreachable since ").contains("127.0.0.1:9092");
    assertThat(logs.list.get(1).getFormattedMessage()).contains("reconnected after 20 s");
  }

  @Test
  void noCommitWhileInputWaitsIsStuckButAnIdleMonitorIsNot() {
    health.report();
    now.addAndGet(120_000);
    assertThat(health.report().ready()).as("idle: nothing to commit").isTrue();

    set("consumer-fetch-manager-metrics", "records-lag", Map.of("client-id", "app-StreamThread-1-consumer", "topic", "tokens",
        "partition", "0"), 500);
    MonitorHealth.Report stuck = health.report();
    assertThat(stuck.ready()).isFalse();
    assertThat(stuck.reasons()).singleElement().asString().contains("no commit for 120 s while 500 input records wait");

    set("stream-thread-metrics", "commit-total", Map.of("thread-id", "t1"), 11);
    assertThat(health.report().ready()).as("committing again").isTrue();
  }

  @Test
  void aMonitorNotRunningIsNotReadyAndOneThatFailedIsNotLive() {
    state.set(KafkaStreams.State.REBALANCING);
    assertThat(health.report().ready()).isFalse();
    assertThat(health.report().live()).isTrue();
    state.set(KafkaStreams.State.ERROR);
    assertThat(health.report().live()).isFalse();
    assertThat(health.report().json()).contains("\"live\":false", "\"streams_state\":\"ERROR\"");
  }

  private void set(String group, String name, Map<String, String> tags, double value) {
    MetricName metricName = new MetricName(name, group, "", tags);
    metrics.put(metricName, new Metric() {
      @Override
      public MetricName metricName() {
        return metricName;
      }

      @Override
      public Object metricValue() {
        return value;
      }
    });
  }
}
