package io.driftwatch.scoring.attribution;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import io.driftwatch.attribution.MatchState;
import io.driftwatch.attribution.MatchStateCodec;
import java.io.IOException;
import java.util.ArrayDeque;

/**
 * One generation's attribution state: the matcher's state (its own compact codec, base64 in the JSON of
 * the state store), the text of a word not yet complete, and the token seq at which each of the last
 * words completed, kept only as far back as the current match reaches (and at most the matcher's
 * window plus one: 1,025 by default), so that spans can be placed on tokens.
 */
@JsonAutoDetect(fieldVisibility = JsonAutoDetect.Visibility.ANY, getterVisibility = JsonAutoDetect.Visibility.NONE,
    isGetterVisibility = JsonAutoDetect.Visibility.NONE)
public final class AttributionTrack {

  @JsonSerialize(using = MatchStateSerializer.class)
  @JsonDeserialize(using = MatchStateDeserializer.class)
  MatchState match;
  String pendingWord = "";
  /** Seqs of the last words, the newest last; the first is word number {@code words - wordSeqs.size()}. */
  ArrayDeque<Long> wordSeqs = new ArrayDeque<>();
  int words;

  /** Serialises the matcher's state with its own codec. */
  static final class MatchStateSerializer extends JsonSerializer<MatchState> {
    @Override
    public void serialize(MatchState value, JsonGenerator gen, SerializerProvider serializers) throws IOException {
      gen.writeBinary(MatchStateCodec.encode(value));
    }
  }

  static final class MatchStateDeserializer extends JsonDeserializer<MatchState> {
    @Override
    public MatchState deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
      return MatchStateCodec.decode(p.getBinaryValue());
    }
  }
}
