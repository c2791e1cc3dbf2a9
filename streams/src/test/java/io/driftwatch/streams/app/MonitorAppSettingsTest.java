package io.driftwatch.streams.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.driftwatch.contract.Topics;
import io.driftwatch.scoring.attribution.AttributionScoring;
import io.driftwatch.streams.MonitorSettings;
import io.driftwatch.streams.metrics.DriftwatchMetrics;
import io.driftwatch.streams.scoring.SemanticScoring;
import io.driftwatch.streams.web.WebSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MonitorAppSettingsTest {

  private static final Path STATE = Path.of("state");

  @Test
  void theBuilderHoldsTheDefaults() {
    MonitorAppSettings settings = MonitorAppSettings.defaults("kafka:9092", STATE);

    assertThat(settings.bootstrapServers()).isEqualTo("kafka:9092");
    assertThat(settings.stateDir()).isEqualTo(STATE);
    assertThat(settings.applicationId()).isEqualTo(MonitorAppSettings.DEFAULT_APPLICATION_ID);
    assertThat(settings.topics()).isEqualTo(Topics.defaults());
    assertThat(settings.partitions()).isEqualTo(3);
    assertThat(settings.replicationFactor()).isEqualTo((short) 1);
    assertThat(settings.streamThreads()).isEqualTo(1);
    assertThat(settings.metricsHost()).isEqualTo("127.0.0.1");
    assertThat(settings.metricsPort()).isEqualTo(MonitorAppSettings.DEFAULT_METRICS_PORT);
    assertThat(settings.modelLabelCap()).isEqualTo(DriftwatchMetrics.DEFAULT_MODEL_CAP);
    assertThat(settings.runLabelCap()).isEqualTo(DriftwatchMetrics.DEFAULT_RUN_CAP);
    assertThat(settings.monitor()).isEqualTo(MonitorSettings.DEFAULTS);
    assertThat(settings.startTimeout()).isEqualTo(Duration.ofSeconds(60));
    assertThat(settings.kafkaOverrides()).isEmpty();
    assertThat(settings.web()).isEqualTo(WebSettings.DISABLED);
    assertThat(settings.semantic()).isEmpty();
    assertThat(settings.attribution()).isEmpty();
    assertThat(settings.probe()).isEmpty();
  }

  @Test
  void toBuilderKeepsEverySetting() {
    SemanticScoring semantic = SemanticScoring.of(texts -> new float[texts.size()][]);
    AttributionScoring attribution = new AttributionScoring(null);
    MonitorAppSettings changed = MonitorAppSettings.builder("a:1", STATE)
        .applicationId("app").topics(Topics.withPrefix("x.")).partitions(5).replicationFactor((short) 3).streamThreads(4)
        .metricsHost("0.0.0.0").metricsPort(0).modelLabelCap(7).runLabelCap(8)
        .monitor(MonitorSettings.DEFAULTS.withIdleTimeout(Duration.ofMinutes(3))).startTimeout(Duration.ofSeconds(9))
        .kafkaOverrides(Map.of("commit.interval.ms", "50")).web(WebSettings.on("127.0.0.1", 0))
        .semantic(semantic).attribution(attribution)
        .probe(io.driftwatch.streams.probe.LiveProbeSettings.defaults(java.net.URI.create("http://gpu:8000"), 0.5))
        .build();

    assertThat(changed.toBuilder().build()).isEqualTo(changed);
    assertThat(changed.toBuilder().stateDir(Path.of("other")).build().stateDir()).isEqualTo(Path.of("other"));
    assertThat(changed.semantic()).containsSame(semantic);
    assertThat(changed.attribution()).containsSame(attribution);
    assertThat(changed.toBuilder().semantic(null).build().semantic()).isEmpty();
    assertThat(changed.toBuilder().probe(null).build().probe()).isEmpty();
  }

  @Test
  void aMissingRequiredSettingIsNamed() {
    assertThatThrownBy(() -> MonitorAppSettings.builder(null, STATE).build()).hasMessage("bootstrapServers");
    assertThatThrownBy(() -> MonitorAppSettings.builder("a:1", STATE).topics(null).build()).hasMessage("topics");
  }
}
