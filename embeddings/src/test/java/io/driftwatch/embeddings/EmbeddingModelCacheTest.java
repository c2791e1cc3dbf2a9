package io.driftwatch.embeddings;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The model cache under concurrent first use: copies are written beside their target and moved into
 * place, so every user gets a whole file and nothing half-written is left behind.
 */
class EmbeddingModelCacheTest {

  @Test
  void manyFirstUsesAtOnceAllGetTheWholeModel(@TempDir Path dir) throws Exception {
    int users = 6;
    CyclicBarrier together = new CyclicBarrier(users);
    ExecutorService pool = Executors.newFixedThreadPool(users);
    try {
      List<Future<EmbeddingModel>> models = new ArrayList<>();
      for (int i = 0; i < users; i++) {
        models.add(pool.submit(() -> {
          together.await();
          return EmbeddingModel.bundled(dir);
        }));
      }
      EmbeddingModel first = models.get(0).get();
      byte[] onnx = Files.readAllBytes(first.onnx());
      for (Future<EmbeddingModel> m : models) {
        assertThat(m.get().onnx()).isEqualTo(first.onnx());
        assertThat(m.get().tokenizer()).isEqualTo(first.tokenizer());
      }
      try (var in = EmbeddingModel.class.getClassLoader().getResourceAsStream("all-minilm-l6-v2-q.onnx")) {
        assertThat(onnx).isEqualTo(in.readAllBytes());
      }
      try (Stream<Path> files = Files.list(dir)) {
        assertThat(files.map(p -> p.getFileName().toString())).hasSize(2).noneMatch(n -> n.endsWith(".partial"));
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
