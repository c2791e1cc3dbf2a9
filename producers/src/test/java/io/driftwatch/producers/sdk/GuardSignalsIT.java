package io.driftwatch.producers.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import io.driftwatch.broker.EmbeddedKafkaBroker;
import io.driftwatch.broker.EmbeddedKafkaExtension;
import io.driftwatch.contract.AlertEvent;
import io.driftwatch.contract.EventCodec;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The SDK's stop signal on a real broker: only a committed firing alert of a guarded rule for the
 * watched generation completes it; aborted transactions, resolved alerts, other rules and other
 * generations do not.
 */
@ExtendWith(EmbeddedKafkaExtension.class)
class GuardSignalsIT {

  private static final String TOPIC = "signals.alerts";
  private static final Instant T = Instant.parse("2026-12-04T18:00:00Z");

  @Test
  void aCommittedFiringAlertOfAGuardedRuleSignalsTheWatchedGenerationOnly(EmbeddedKafkaBroker kafka) throws Exception {
    kafka.createTopic(TOPIC, 2);
    try (GuardSignals guard = GuardSignals.start(kafka.bootstrapServers(), Map.of(), TOPIC, Set.of("loop"));
         KafkaProducer<String, byte[]> producer = transactional(kafka.bootstrapServers())) {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (!guard.readable()) {
        assertThat(System.nanoTime()).as("the alerts topic became readable").isLessThan(deadline);
        Thread.sleep(50);
      }
      CompletableFuture<AlertEvent> g1 = guard.watch("g-1");
      CompletableFuture<AlertEvent> g2 = guard.watch("g-2");
      producer.initTransactions();

      producer.beginTransaction();
      producer.send(record(alert("g-1", "loop", AlertEvent.FIRING, 10)));
      producer.flush();
      producer.abortTransaction(); // a monitor that failed mid-transaction: its alert never counts

      producer.beginTransaction();
      producer.send(record(alert("g-1", "loop", AlertEvent.RESOLVED, 20)));
      producer.send(record(alert("g-1", "entity_shift", AlertEvent.FIRING, 30)));
      producer.send(record(alert("g-3", "loop", AlertEvent.FIRING, 40)));
      producer.commitTransaction();
      Thread.sleep(1000);
      assertThat(g1).isNotDone();

      producer.beginTransaction();
      producer.send(record(alert("g-1", "loop", AlertEvent.FIRING, 212)));
      producer.commitTransaction();
      AlertEvent signal = g1.get(20, TimeUnit.SECONDS);
      assertThat(signal.rule()).isEqualTo("loop");
      assertThat(signal.lastSeq()).isEqualTo(212);
      assertThat(g2).isNotDone();

      guard.forget("g-2");
      assertThat(guard.watch("g-2")).isNotSameAs(g2);
    }
  }

  private static AlertEvent alert(String generation, String rule, String state, long lastSeq) {
    return new AlertEvent(1, generation, "r", "m", rule, "loop_repeats", state, 3.0, 2.2, 1.5, 0, lastSeq, 4, T);
  }

  private static ProducerRecord<String, byte[]> record(AlertEvent alert) {
    return new ProducerRecord<>(TOPIC, alert.generationId(), EventCodec.toJson(alert));
  }

  private static KafkaProducer<String, byte[]> transactional(String bootstrap) {
    return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ProducerConfig.TRANSACTIONAL_ID_CONFIG,
        "guard-signals-it"), new StringSerializer(), new ByteArraySerializer());
  }
}
