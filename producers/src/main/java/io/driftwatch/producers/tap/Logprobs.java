package io.driftwatch.producers.tap;

import com.fasterxml.jackson.databind.JsonNode;
import io.driftwatch.contract.GenerationEvent;
import io.driftwatch.producers.text.SimpleTokenizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads the two logprob shapes of OpenAI-compatible APIs and decides how a piece of text becomes tokens.
 *
 * <p>Chat: {@code logprobs.content[]} of {@code {token, logprob, top_logprobs: [{token, logprob}]}}.
 * Text completions: {@code logprobs.tokens[]}, {@code token_logprobs[]} and {@code top_logprobs[]} of
 * {@code {token: logprob}} objects. Values the wire contract would reject (a logprob above 0, NaN, an
 * alternative without a token) are left out rather than letting the monitor dead-letter the token.
 */
final class Logprobs {

  private Logprobs() {}

  /** The tokens of a chat {@code logprobs} object; empty when it is null or has no content. */
  static List<TokenPiece> chat(JsonNode logprobs) {
    JsonNode content = logprobs == null ? null : logprobs.get("content");
    if (content == null || !content.isArray()) {
      return List.of();
    }
    List<TokenPiece> out = new ArrayList<>(content.size());
    for (JsonNode entry : content) {
      String token = text(entry.get("token"));
      if (token == null) {
        return List.of(); // one unreadable entry makes the alignment with the text unreliable
      }
      List<GenerationEvent.TopLogprob> top = new ArrayList<>();
      JsonNode alternatives = entry.get("top_logprobs");
      if (alternatives != null && alternatives.isArray()) {
        for (JsonNode alt : alternatives) {
          topLogprob(text(alt.get("token")), alt.get("logprob"), top);
        }
      }
      out.add(new TokenPiece(token, logprob(entry.get("logprob")), top));
    }
    return out;
  }

  /** The tokens of a text-completion {@code logprobs} object; empty when it is null or has no tokens. */
  static List<TokenPiece> completion(JsonNode logprobs) {
    JsonNode tokens = logprobs == null ? null : logprobs.get("tokens");
    if (tokens == null || !tokens.isArray()) {
      return List.of();
    }
    JsonNode values = logprobs.get("token_logprobs");
    JsonNode tops = logprobs.get("top_logprobs");
    List<TokenPiece> out = new ArrayList<>(tokens.size());
    for (int i = 0; i < tokens.size(); i++) {
      String token = text(tokens.get(i));
      if (token == null) {
        return List.of();
      }
      List<GenerationEvent.TopLogprob> top = new ArrayList<>();
      JsonNode alternatives = tops != null && tops.isArray() ? tops.get(i) : null;
      if (alternatives != null && alternatives.isObject()) {
        for (Map.Entry<String, JsonNode> alt : alternatives.properties()) {
          topLogprob(alt.getKey(), alt.getValue(), top);
        }
      }
      out.add(new TokenPiece(token, logprob(values != null && values.isArray() ? values.get(i) : null), top));
    }
    return out;
  }

  /**
   * The tokens of one streamed delta: one token per delta, carrying its logprob when the API sent
   * exactly one entry. A server that packs several tokens in a delta (some batch them) gets one token
   * per logprob entry, provided the entries spell out the delta's text; otherwise the delta stays one
   * token without logprobs, since attaching numbers to the wrong text would be worse than none.
   */
  static List<TokenPiece> forDelta(String text, List<TokenPiece> pieces) {
    if (text == null || text.isEmpty()) {
      return List.of();
    }
    if (pieces.size() == 1) {
      TokenPiece only = pieces.get(0);
      return List.of(new TokenPiece(text, only.logprob(), only.topLogprobs()));
    }
    if (pieces.size() > 1 && spells(pieces, text)) {
      return pieces;
    }
    return List.of(TokenPiece.plain(text));
  }

  /**
   * The tokens of a whole completion: the model's own tokens when logprobs spell out the text,
   * otherwise the text split by {@link SimpleTokenizer} (model-like tokens, without logprobs).
   */
  static List<TokenPiece> forText(String text, List<TokenPiece> pieces) {
    if (text == null || text.isEmpty()) {
      return List.of();
    }
    if (!pieces.isEmpty() && spells(pieces, text)) {
      return pieces;
    }
    return SimpleTokenizer.tokenize(text).stream().map(TokenPiece::plain).toList();
  }

  private static boolean spells(List<TokenPiece> pieces, String text) {
    StringBuilder joined = new StringBuilder(text.length());
    for (TokenPiece p : pieces) {
      joined.append(p.text());
    }
    return joined.toString().equals(text);
  }

  private static void topLogprob(String token, JsonNode value, List<GenerationEvent.TopLogprob> into) {
    Double logprob = logprob(value);
    if (token != null && logprob != null) {
      into.add(new GenerationEvent.TopLogprob(token, logprob));
    }
  }

  /** A logprob the contract accepts (a finite number at most 0), else null. */
  static Double logprob(JsonNode value) {
    if (value == null || !value.isNumber()) {
      return null;
    }
    double v = value.asDouble();
    return Double.isFinite(v) && v <= 0 ? v : null;
  }

  static String text(JsonNode value) {
    return value != null && value.isTextual() ? value.asText() : null;
  }
}
