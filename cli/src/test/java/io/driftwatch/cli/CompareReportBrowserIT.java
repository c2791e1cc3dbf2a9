package io.driftwatch.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The compare report in a real headless Chromium with every host unresolvable: it opens from the file
 * alone, draws every histogram (pixels on every canvas), and shows an archive name that is markup as text.
 * The screenshot goes to {@code target/screenshots/compare-report.png} (the README's is a copy).
 */
class CompareReportBrowserIT {

  private static final Path SCREENSHOTS = Path.of("target", "screenshots");

  @Test
  void theReportOpensOfflineWithEveryPlotDrawn(@TempDir Path dir) throws Exception {
    HeadlessChromium.assumeInstalled();
    CompareCommandTest.scoreBoth(dir);
    Path html = dir.resolve("report.html");
    ArchiveFixtures.Run compare = ArchiveFixtures.run("compare", dir.resolve("before.scores.jsonl").toString(),
        dir.resolve("before.alerts.jsonl").toString(), dir.resolve("after.scores.jsonl").toString(),
        dir.resolve("after.alerts.jsonl").toString(), "--html", html.toString());
    assertThat(compare.status()).as(compare.err()).isZero();
    Files.createDirectories(SCREENSHOTS);

    WebDriver browser = HeadlessChromium.start(1300, 1700,
        // No host resolves: anything the report fetched from a network would fail, and its plots with it.
        "--host-resolver-rules=MAP * ~NOTFOUND");
    try {
      browser.get(html.toUri().toString());
      JavascriptExecutor js = (JavascriptExecutor) browser;
      new WebDriverWait(browser, Duration.ofSeconds(30)).until(d -> js.executeScript("return document.body.dataset.plotsDrawn") != null);
      long plots = (Long) js.executeScript("return document.querySelectorAll('.plot[data-score]').length;");
      assertThat(plots).isGreaterThan(10);
      assertThat(js.executeScript("return document.body.dataset.plotsDrawn")).isEqualTo(String.valueOf(plots));
      // Every canvas has pixels drawn on it: axes, grid and the runs' steps.
      long blank = (Long) js.executeScript(
          "return [...document.querySelectorAll('.plot canvas')].filter(c => {"
              + " const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;"
              + " for (let i = 3; i < d.length; i += 4) if (d[i] !== 0) return false; return true; }).length;");
      assertThat(blank).isZero();
      assertThat((Long) js.executeScript("return document.querySelectorAll('.plot canvas').length;")).isEqualTo(plots);
      // The legend names each run with its count of generations.
      assertThat((String) js.executeScript("return document.querySelector('.plot[data-score=\"repetition_rate\"] .u-legend').textContent;"))
          .contains("before (n=100)", "after (n=100)");
      // The baseline comes first, in the first colour.
      assertThat((String) js.executeScript("return document.querySelector('.plot .u-legend .u-series:nth-child(2)').textContent;"))
          .contains("before");
      // The archive name that is markup is text: no image element came from it, and no script ran.
      assertThat((Long) js.executeScript("return document.querySelectorAll('img').length;")).isZero();
      assertThat((String) js.executeScript("return document.querySelector('#changed').textContent;")).contains(ArchiveFixtures.HOSTILE_NAME);
      assertThat((String) js.executeScript("return document.querySelector('h1').textContent;")).isEqualTo("Driftwatch compare: before vs after");
      assertThat((Long) js.executeScript("return document.querySelectorAll('#differences tr.flagged').length;")).isGreaterThan(0);
      js.executeScript("window.scrollTo(0, 0);");
      Files.write(SCREENSHOTS.resolve("compare-report.png"), ((ChromeDriver) browser).getScreenshotAs(OutputType.BYTES));
    } finally {
      browser.quit();
    }
  }

}
