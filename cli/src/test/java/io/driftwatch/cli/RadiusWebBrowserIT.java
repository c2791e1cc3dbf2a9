package io.driftwatch.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.driftwatch.broker.EmbeddedKafkaBroker;
import io.driftwatch.broker.EmbeddedKafkaExtension;
import io.driftwatch.contract.GenerationEvent;
import io.driftwatch.contract.Topics;
import io.driftwatch.producers.calibration.Books;
import io.driftwatch.producers.sdk.DriftwatchProducer;
import io.driftwatch.scoring.radius.CharNgramModel;
import io.driftwatch.scoring.radius.FakeCompletionsServer;
import io.driftwatch.streams.app.MonitorApp;
import io.driftwatch.streams.app.MonitorAppSettings;
import io.driftwatch.streams.probe.LiveProbeSettings;
import io.driftwatch.streams.web.WebSettings;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The live probe's curves in a real headless Chromium: the overview charts the model's curve and the
 * generation page its own, and a model name that is markup is shown as text and runs nothing.
 * Screenshots go to {@code target/screenshots/}.
 */
@ExtendWith(EmbeddedKafkaExtension.class)
class RadiusWebBrowserIT {

  private static final String HOSTILE_MODEL = "<img src=x onerror=\"window.__dwPwned='model'\">";
  private static final int ORDER = 4;

  @Test
  void theOverviewAndTheGenerationPageChartTheProbedCurves(EmbeddedKafkaBroker kafka, @TempDir Path dir) throws Exception {
    HeadlessChromium.assumeInstalled();
    String corpus = Books.body("emma");
    try (FakeCompletionsServer server = new FakeCompletionsServer(new CharNgramModel(corpus))) {
      server.serve(HOSTILE_MODEL, ORDER);
      Topics topics = Topics.withPrefix("radius-web-it.");
      LiveProbeSettings probe = LiveProbeSettings.defaults(server.uri(), 1).withLimits(1_000_000, 50)
          .withLadder(16, 1, Duration.ofMillis(10), 2);
      MonitorAppSettings settings = MonitorAppSettings.builder(kafka.bootstrapServers(), dir.resolve("state"))
          .applicationId("radius-web-it").topics(topics).metricsPort(0).probe(probe).web(WebSettings.on("127.0.0.1", 0)).build();
      try (MonitorApp app = MonitorApp.start(settings)) {
        Instant now = Instant.now();
        try (DriftwatchProducer producer = DriftwatchProducer.connect(kafka.bootstrapServers(), topics.tokens())) {
          for (int g = 0; g < 4; g++) {
            String id = "web-" + g;
            int start = 1_000 + 5_000 * g;
            List<String> chars = corpus.substring(start, start + 96).codePoints().mapToObj(Character::toString).toList();
            producer.send(new GenerationEvent.Start(1, id, "it", HOSTILE_MODEL, "", null, Map.of(), now));
            for (int i = 0; i < chars.size(); i++) {
              producer.send(new GenerationEvent.Token(1, id, (long) i, chars.get(i), null, null, null, now));
            }
            producer.send(new GenerationEvent.End(1, id, "stop", now));
          }
        }
        String web = "http://127.0.0.1:" + app.webPort();
        WebDriver browser = HeadlessChromium.start(1400, 1500);
        try {
          WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(60));
          JavascriptExecutor js = (JavascriptExecutor) browser;
          long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
          String listing = "";
          while (System.nanoTime() < deadline && !listing.contains("\"generations\":4")) {
            listing = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(web
                + "/api/radius")).build(), java.net.http.HttpResponse.BodyHandlers.ofString()).body();
            Thread.sleep(200);
          }
          assertThat(listing).as("probed").contains("\"generations\":4");
          browser.get(web + "/");
          try {
            wait.until(d -> count(d, "#radius .uplot canvas") > 0);
          } catch (org.openqa.selenium.TimeoutException e) {
            save(browser, "radius-overview-failed.png");
            throw new AssertionError("the overview's radius section: " + js.executeScript(
                "return document.getElementById('radius').outerHTML + ' / problem: ' + document.getElementById('problem').textContent;")
                + "; browser log: " + browser.manage().logs().get("browser").getAll(), e);
          }
          assertThat((String) js.executeScript("return document.querySelector('#radius h3').textContent;")).isEqualTo(HOSTILE_MODEL);
          assertThat((String) js.executeScript("return document.getElementById('radius').textContent;"))
              .contains("4 generations", "rank correlation with the embedding-based coherence_radius");
          assertThat(count(browser, "#radius img")).isZero();
          save(browser, "radius-overview.png");

          browser.get(web + "/generation?id=" + URLEncoder.encode("web-0", StandardCharsets.UTF_8));
          wait.until(d -> count(d, "#radius .uplot canvas") > 0);
          String radius = (String) js.executeScript("return document.getElementById('radius').dataset.radius;");
          assertThat(Integer.parseInt(radius)).isBetween(1, ORDER);
          assertThat((String) js.executeScript("return document.getElementById('radius').textContent;"))
              .contains("radius " + radius + " tokens", "coherence_radius", HOSTILE_MODEL);
          assertThat(count(browser, "#radius img")).isZero();
          assertThat(js.executeScript("return window.__dwPwned || null;")).isNull();
          save(browser, "radius-generation.png");
        } finally {
          browser.quit();
        }
      }
    }
  }


  private static long count(WebDriver d, String css) {
    Object n = ((JavascriptExecutor) d).executeScript("return document.querySelectorAll(arguments[0]).length;", css);
    return ((Number) n).longValue();
  }

  private static void save(WebDriver browser, String name) throws Exception {
    Path dir = Files.createDirectories(Path.of("target", "screenshots"));
    Files.write(dir.resolve(name), ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
  }
}
