package io.driftwatch.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.driftwatch.contract.EventCodec;
import io.driftwatch.contract.GenerationEvent;
import io.driftwatch.producers.sdk.DriftwatchProducer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The web view in a real headless Chromium (Debian's chromium and chromium-driver) during a demo run:
 * the overview and a generation view load, show tokens and charts, and update; a generation whose
 * text, prompt and names are HTML and script renders them as text and runs none of it; histograms show
 * their range and counts, filters and the search by generation id narrow the lists, and alerts link to
 * their runbook entries, which the view serves. Screenshots
 * go to {@code target/screenshots/}.
 */
class WebViewBrowserIT {

  private static final Path SCREENSHOTS = Path.of("target", "screenshots");
  private static final String HOSTILE_ID = "hostile-markup";
  private static final List<String> HOSTILE_TOKENS = List.of(
      "Here", " is", " a", " tag", ": ", "<script>window.__dwPwned='token'</script>", " and", " an",
      " image", " <img src=x onerror=\"window.__dwPwned='img'\">", " then", " a", " link", " <a href=\"javascript:alert(1)\">click</a>",
      " and", " more", " words", " to", " end", " the", " sentence", ".");

  @Test
  void overviewAndGenerationViewShowTheDemoLiveAndRenderModelTextAsText() throws Exception {
    HeadlessChromium.assumeInstalled();
    int[] ports = freePorts(2);
    int kafkaPort = ports[0];
    int webPort = ports[1];
    String web = "http://127.0.0.1:" + webPort;
    Files.createDirectories(SCREENSHOTS);

    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    PrintStream originalOut = System.out;
    System.setOut(new PrintStream(captured, true, UTF_8));
    WebDriver browser = null;
    try {
      CompletableFuture<Integer> demo = CompletableFuture.supplyAsync(() -> Driftwatch.commandLine().execute(
          "demo", "--duration", "70s", "--kafka-port", String.valueOf(kafkaPort), "--metrics-port", "0",
          "--web-port", String.valueOf(webPort), "--tokens", "360", "--tokens-per-second", "30"));
      awaitApi(web + "/api/overview", demo);
      sendHostileGeneration(kafkaPort);

      browser = HeadlessChromium.start(1400, 1500);
      WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(45));
      JavascriptExecutor js = (JavascriptExecutor) browser;

      // Overview: totals, per-run histograms, the active table; and it updates by itself.
      browser.get(web + "/");
      wait.until(d -> refreshes(d) >= 2 && count(d, "#active a") > 0 && count(d, "#runs canvas") > 0);
      long tokensBefore = totalTokens(browser);
      int refreshesBefore = refreshes(browser);
      wait.until(d -> totalTokens(d) > tokensBefore && refreshes(d) > refreshesBefore);
      wait.until(d -> count(d, "#runs canvas[data-total]:not([data-total='0'])") > 0);
      wait.until(d -> count(d, "#alerts a") > 0);
      save(browser, "overview.png");

      // Histograms show their value range and counts.
      assertThat(count(browser, "#runs .hist .axis")).isPositive();
      assertThat(count(browser, "#runs .hist .name")).isPositive();
      assertThat((String) js.executeScript("return document.querySelector('#runs .hist .name').textContent;")).contains("n=");
      // A scenario filter leaves only generations of that scenario in both lists.
      wait.until(d -> (Boolean) js.executeScript(
          "return [...document.getElementById('f-scenario').options].some(o => o.value === 'repetition-loop');"));
      js.executeScript("const s = document.getElementById('f-scenario'); s.value = 'repetition-loop'; s.dispatchEvent(new Event('change'));");
      wait.until(d -> count(d, "#active tbody tr td:nth-child(3), #recent tbody tr td:nth-child(3)") > 0);
      assertThat((Boolean) js.executeScript("return [...document.querySelectorAll('#active tbody tr, #recent tbody tr')]"
          + ".every(r => r.querySelector('td.empty') || r.children[2].textContent === 'repetition-loop');")).isTrue();
      assertThat((String) js.executeScript("return document.getElementById('shown').textContent;")).startsWith("showing ");
      save(browser, "overview-filtered.png");
      js.executeScript("const s = document.getElementById('f-scenario'); s.value = ''; s.dispatchEvent(new Event('change'));");
      // Each alert of a rule with a runbook entry links to it, and the entry is there, marked.
      wait.until(d -> count(d, "#alerts a.runbook-link") > 0);
      String runbook = (String) js.executeScript("return document.querySelector('#alerts a.runbook-link').getAttribute('href');");
      assertThat(runbook).matches("/runbook#driftwatch[a-z]+"); // anchors as the Prometheus rules' runbook_url write them
      browser.get(web + runbook);
      wait.until(d -> js.executeScript("return document.body.dataset.entries") != null);
      assertThat((String) js.executeScript("return document.querySelector('section.entry.target').id;"))
          .isEqualTo(runbook.substring(runbook.indexOf('#') + 1));
      save(browser, "runbook.png");
      browser.get(web + "/");
      wait.until(d -> refreshes(d) >= 1 && count(d, "#active a") > 0);

      // A demo generation: its tokens stream into the mosaic and its timelines get points.
      @SuppressWarnings("unchecked")
      List<String> active = (List<String>) js.executeScript("return [...document.querySelectorAll('#active a')].map(a => a.textContent);");
      String demoId = active.stream().filter(id -> !id.equals(HOSTILE_ID)).findFirst().orElseThrow();
      browser.get(web + "/generation?id=" + URLEncoder.encode(demoId, UTF_8));
      wait.until(d -> count(d, "#mosaic .tok") > 0 && count(d, "#charts .uplot canvas") > 0);
      long tokensShown = count(browser, "#mosaic .tok");
      int points = chartPoints(browser);
      wait.until(d -> count(d, "#mosaic .tok") > tokensShown && chartPoints(d) > points);
      // Colour comes with the first sentence record that has the chosen score; a young generation may not have one yet.
      wait.until(d -> count(d, "#mosaic .tok[style*='background']") > 0);
      assertThat(text(browser, "meta")).contains(demoId, "scenario");
      // The demo indexes its reference book, so the span mosaic is shown: its seven cards, as text.
      wait.until(d -> count(d, "#span-mosaic:not([hidden]) .card") == 7);
      assertThat(text(browser, "span-mosaic")).contains("spans", "median words", "p90 words", "source switch rate");
      save(browser, "generation.png");

      // Two live runs compared, as driftwatch compare does: the demo's two models, in its run.
      var overview = EventCodec.MAPPER.readTree(HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(web + "/api/overview"))
          .build(), HttpResponse.BodyHandlers.ofByteArray()).body());
      String demoRun = null;
      for (var r : overview.path("runs")) {
        if (r.path("model").asText().equals("demo-model-a")) {
          demoRun = r.path("run_id").asText();
        }
      }
      assertThat(demoRun).isNotNull();
      browser.get(web + "/compare?baseline_model=demo-model-a&baseline_run=" + URLEncoder.encode(demoRun, UTF_8)
          + "&model=demo-model-b&run=" + URLEncoder.encode(demoRun, UTF_8));
      new WebDriverWait(browser, Duration.ofSeconds(60)).until(d -> js.executeScript("return document.body.dataset.plotsDrawn") != null);
      assertThat(count(browser, "#plots .uplot canvas")).isPositive();
      assertThat(count(browser, "#differences tbody tr")).isPositive();
      assertThat(text(browser, "summary")).contains("demo-model-a · run " + demoRun, "demo-model-b · run " + demoRun);
      save(browser, "compare-live.png");
      HttpResponse<String> same = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(web
          + "/api/compare?baseline_model=demo-model-a&model=demo-model-a")).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(same.statusCode()).isEqualTo(400);
      assertThat(same.body()).contains("choose two different runs");

      // Search by generation id: typing filters the lists to it, Enter opens it.
      browser.get(web + "/");
      wait.until(d -> refreshes(d) >= 1);
      js.executeScript("const s = document.getElementById('search'); s.value = arguments[0]; s.dispatchEvent(new Event('input'));", HOSTILE_ID);
      assertThat((Boolean) js.executeScript("return [...document.querySelectorAll('#active tbody tr, #recent tbody tr')]"
          + ".every(r => r.querySelector('td.empty') || r.children[0].textContent === arguments[0]);", HOSTILE_ID)).isTrue();
      js.executeScript("document.getElementById('filters').requestSubmit();");
      wait.until(d -> d.getCurrentUrl().endsWith("/generation?id=" + HOSTILE_ID));

      // The hostile generation: everything it sent is on the page as text, and none of it ran.
      wait.until(d -> count(d, "#mosaic .tok") == HOSTILE_TOKENS.size());
      String mosaic = text(browser, "mosaic");
      assertThat(mosaic).contains("<script>window.__dwPwned='token'</script>", "<img src=x onerror=", "<a href=\"javascript:alert(1)\">");
      assertThat(text(browser, "meta")).contains("<img src=x onerror=", "<b>bold model</b>", "<svg onload=");
      wait.until(d -> text(d, "meta").contains("stopped by <b>loop</b> at token 2 (in_process path, 1 token after the trip, "
          + "500 of max_tokens left)"));
      save(browser, "generation-hostile.png");
      assertThat(count(browser, "#mosaic script, #mosaic img, #mosaic a, #meta img, #meta b, #meta svg")).isZero();
      browser.get(web + "/");
      wait.until(d -> refreshes(d) >= 2);
      assertThat(count(browser, "#runs b, #active b, #active img, #active svg")).isZero();
      assertThat(text(browser, "runs")).contains("<b>bold model</b>");
      assertThat(js.executeScript("return typeof window.__dwPwned")).isEqualTo("undefined");
      save(browser, "overview-hostile.png");

      assertThat(demo.get(120, TimeUnit.SECONDS)).isZero();
    } finally {
      if (browser != null) {
        browser.quit();
      }
      System.setOut(originalOut);
    }
    assertThat(captured.toString(UTF_8)).contains("web view         " + web + "/");
  }

  /** Prompt, model, attributes and tokens that are HTML and script, as a hostile or careless model could send. */
  private static void sendHostileGeneration(int kafkaPort) throws Exception {
    Instant t0 = Instant.now();
    try (DriftwatchProducer producer = DriftwatchProducer.connect("127.0.0.1:" + kafkaPort, "driftwatch.tokens")) {
      producer.send(new GenerationEvent.Start(1, HOSTILE_ID, "hostile-run", "<b>bold model</b>",
          "<img src=x onerror=\"window.__dwPwned='prompt'\">", null, Map.of("scenario", "<svg onload=\"window.__dwPwned='attr'\">"), t0));
      for (int seq = 0; seq < HOSTILE_TOKENS.size(); seq++) {
        producer.send(new GenerationEvent.Token(1, HOSTILE_ID, (long) seq, HOSTILE_TOKENS.get(seq), null, -1.0, null,
            t0.plusMillis(50L * seq)));
      }
      // Stopped by a guard whose rule name is markup: producers write it, so the page shows it as text.
      producer.send(new GenerationEvent.End(1, HOSTILE_ID, "content_filter", t0.plusMillis(50L * HOSTILE_TOKENS.size()),
          new GenerationEvent.Guard("<b>loop</b>", GenerationEvent.Guard.IN_PROCESS, GenerationEvent.Guard.STOPPED, 2L, 1L, 500L)));
    }
  }


  private static int refreshes(WebDriver d) {
    Object n = ((JavascriptExecutor) d).executeScript("return document.body.dataset.refreshes || '0';");
    return Integer.parseInt(n.toString());
  }

  private static int chartPoints(WebDriver d) {
    Object n = ((JavascriptExecutor) d).executeScript("return document.getElementById('charts').dataset.points || '0';");
    return Integer.parseInt(n.toString());
  }

  /** The overview's "tokens" card, read in one script: the page redraws every second, so elements go stale. */
  private static long totalTokens(WebDriver d) {
    Object value = ((JavascriptExecutor) d).executeScript(
        "const c = [...document.querySelectorAll('#totals .card')].find(c => c.querySelector('.label').textContent === 'tokens');"
            + "return c ? c.querySelector('.value').textContent : null;");
    return value == null ? -1 : Long.parseLong(value.toString().replace(",", ""));
  }

  /** How many elements match, counted in one script. */
  private static long count(WebDriver d, String css) {
    return (Long) ((JavascriptExecutor) d).executeScript("return document.querySelectorAll(arguments[0]).length;", css);
  }

  private static String text(WebDriver d, String id) {
    return (String) ((JavascriptExecutor) d).executeScript("return document.getElementById(arguments[0]).textContent;", id);
  }

  private static void save(WebDriver browser, String name) throws Exception {
    byte[] png = ((ChromeDriver) browser).getScreenshotAs(OutputType.BYTES);
    Files.write(SCREENSHOTS.resolve(name), png);
  }

  private static void awaitApi(String url, CompletableFuture<Integer> demo) throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      if (demo.isDone()) {
        throw new AssertionError("the demo stopped early with status " + demo.get());
      }
      try {
        if (http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(2)).build(),
            HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          return;
        }
      } catch (java.io.IOException e) {
        // not up yet
      }
      Thread.sleep(250);
    }
    throw new AssertionError("the web view did not answer at " + url + " within 60 s");
  }

  /** Distinct free ports: held open together while chosen, since one at a time the OS can repeat one. */
  private static int[] freePorts(int count) throws java.io.IOException {
    ServerSocket[] sockets = new ServerSocket[count];
    try {
      int[] ports = new int[count];
      for (int i = 0; i < count; i++) {
        sockets[i] = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress());
        ports[i] = sockets[i].getLocalPort();
      }
      return ports;
    } finally {
      for (ServerSocket s : sockets) {
        if (s != null) {
          s.close();
        }
      }
    }
  }
}
