package io.driftwatch.embeddings;

/** A child process for {@link SentenceEmbedderExitIT}: loads and closes the bundled model until it is terminated. */
public final class LoadUntilTerminated {

  private LoadUntilTerminated() {}

  public static void main(String[] args) {
    EmbeddingModel model = EmbeddingModel.bundled();
    System.out.println("loading");
    System.out.flush();
    while (true) {
      SentenceEmbedder.open(model).close();
    }
  }
}
