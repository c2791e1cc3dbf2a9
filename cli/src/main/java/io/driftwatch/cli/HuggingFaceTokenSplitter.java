package io.driftwatch.cli;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.huggingface.tokenizers.jni.CharSpan;
import io.driftwatch.producers.text.TokenSplitter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Splits text as a model's own tokenizer would, from its HuggingFace tokenizer.json (through DJL). Each
 * token is the text up to the end of its character span, so whitespace before a token joins it and the
 * tokens concatenate back to the text; byte-level pieces of one character share a span and come out as
 * one token.
 */
final class HuggingFaceTokenSplitter implements TokenSplitter, AutoCloseable {

  private final HuggingFaceTokenizer tokenizer;

  HuggingFaceTokenSplitter(Path tokenizerJson) {
    try {
      this.tokenizer = HuggingFaceTokenizer.newInstance(tokenizerJson, Map.of("addSpecialTokens", "false", "truncation", "false"));
    } catch (IOException | RuntimeException e) {
      throw new UserFacingException("cannot load tokenizer " + tokenizerJson + ": " + e.getMessage());
    }
  }

  @Override
  public List<String> split(String text) {
    Encoding encoding = tokenizer.encode(text, false, false);
    List<String> tokens = new ArrayList<>();
    int done = 0;
    for (CharSpan span : encoding.getCharTokenSpans()) {
      if (span == null || span.getEnd() <= done) {
        continue;
      }
      tokens.add(text.substring(done, span.getEnd()));
      done = span.getEnd();
    }
    if (done < text.length()) {
      tokens.add(text.substring(done));
    }
    return tokens;
  }

  @Override
  public void close() {
    tokenizer.close();
  }
}
