package io.driftwatch.benchmarks.pipeline;

import io.driftwatch.attribution.IndexBuilder;
import io.driftwatch.producers.demo.DemoCorpus;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * The reference index the benchmarks match against when none is given: the demo's reference book, the
 * one its verbatim-copy scenario pastes from (as {@code driftwatch demo} builds it).
 */
final class BenchReferenceIndex {

  private BenchReferenceIndex() {}

  static Path build(Path dir) throws IOException {
    IndexBuilder builder = new IndexBuilder(dir);
    DemoCorpus.load().references().forEach((name, text) -> {
      try {
        builder.addText(name, text);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
    builder.build();
    return dir;
  }
}
