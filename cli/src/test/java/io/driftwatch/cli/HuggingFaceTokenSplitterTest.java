package io.driftwatch.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.driftwatch.embeddings.EmbeddingModel;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Splitting with a real tokenizer.json (the bundled model's WordPiece tokenizer). */
class HuggingFaceTokenSplitterTest {

  @Test
  void tokensConcatenateBackToTheTextAndFollowTheModelsPieces() {
    try (HuggingFaceTokenSplitter splitter = new HuggingFaceTokenSplitter(EmbeddingModel.bundled().tokenizer())) {
      String text = "Mr. Darcy's  unbelievably long reply, at 3.5 pages — was ignored.\n";
      List<String> tokens = splitter.split(text);
      assertThat(String.join("", tokens)).isEqualTo(text);
      // WordPiece cuts "unbelievably" into several pieces; the simple splitter would keep it whole.
      assertThat(tokens).contains("Mr", ".", " Darcy", "  un").doesNotContain(" unbelievably");
      assertThat(tokens.size()).isGreaterThan(15);
    }
  }
}
