package io.driftwatch.scoring.semantic;

import java.util.List;

/**
 * Turns sentences into unit-length embeddings, in order, in one call. The scorers need nothing more of a
 * model; Driftwatch's own implementation runs all-MiniLM-L6-v2 through DJL (module driftwatch-embeddings).
 * The result for a sentence must not depend on the other sentences of the call beyond float tolerance,
 * so that scores do not depend on how sentences were batched.
 */
@FunctionalInterface
public interface SentenceEncoder {

  float[][] encode(List<String> sentences);
}
