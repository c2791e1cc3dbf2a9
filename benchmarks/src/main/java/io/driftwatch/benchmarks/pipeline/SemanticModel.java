package io.driftwatch.benchmarks.pipeline;

import io.driftwatch.embeddings.SentenceEmbedder;
import io.driftwatch.streams.scoring.SemanticScoring;
import java.io.PrintStream;

/** The sentence model of the semantic families, opened and configured as the caller's options say. */
public interface SemanticModel {

  /** The model on the threads it gets beside Kafka, as the monitor runs it. */
  SentenceEmbedder openBesideKafka(PrintStream out);

  /** The model with a thread per core splitting each forward pass: one way to give it every core alone. */
  SentenceEmbedder openEveryCore(PrintStream out);

  /** The model with a forward pass per core at once, each on one thread: the other way to give it every core alone. */
  SentenceEmbedder openPassPerCore(PrintStream out);

  /** The monitor's semantic scoring over an open model, with the caller's batch bounds. */
  SemanticScoring scoring(SentenceEmbedder embedder);

  /** Most sentences embedded in one model call. */
  int batch();
}
