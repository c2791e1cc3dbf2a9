package io.driftwatch.producers.tap;

import static org.assertj.core.api.Assertions.assertThat;

import io.driftwatch.contract.GenerationEvent;
import org.junit.jupiter.api.Test;

class CompletionRequestTest {

  private static CompletionRequest read(Endpoint endpoint, String json) throws Exception {
    return CompletionRequest.from(endpoint, OpenAiJson.read(json));
  }

  @Test
  void chatMessagesBecomeRoleContentLines() throws Exception {
    CompletionRequest r = read(Endpoint.CHAT, """
        {"model":"gpt-4o","messages":[
          {"role":"system","content":"Be brief."},
          {"role":"user","content":[{"type":"text","text":"What is in this picture?"},{"type":"image_url","image_url":{"url":"data:..."}}]},
          {"role":"assistant","content":null,"tool_calls":[{"id":"call_1","type":"function","function":{"name":"look","arguments":"{}"}}]},
          {"role":"tool","tool_call_id":"call_1","content":"a whale"}]}""");
    assertThat(r.promptFor(0)).isEqualTo("system: Be brief.\nuser: What is in this picture?\n[image_url]\nassistant: [tool_calls]\ntool: a whale");
    assertThat(r.model()).isEqualTo("gpt-4o");
    assertThat(r.stream()).isFalse();
    assertThat(r.sampling()).isNull();
  }

  @Test
  void batchedCompletionPromptsAnswerTheirChoicesNPerPrompt() throws Exception {
    CompletionRequest r = read(Endpoint.COMPLETIONS, "{\"model\":\"m\",\"stream\":true,\"n\":2,\"prompt\":[\"first\",\"second\"]}");
    assertThat(r.stream()).isTrue();
    assertThat(r.promptFor(0)).isEqualTo("first");
    assertThat(r.promptFor(1)).isEqualTo("first");
    assertThat(r.promptFor(2)).isEqualTo("second");
    assertThat(r.promptFor(3)).isEqualTo("second");
    assertThat(read(Endpoint.COMPLETIONS, "{\"prompt\":[1212,318,257]}").promptFor(0)).isEqualTo("[1212,318,257]");
    assertThat(read(Endpoint.COMPLETIONS, "{}").promptFor(0)).isEmpty();
  }

  @Test
  void samplingKeepsWhatTheContractAcceptsAndLeavesOutTheRest() throws Exception {
    assertThat(read(Endpoint.CHAT, "{\"temperature\":0,\"top_p\":0.9,\"max_completion_tokens\":64,\"max_tokens\":10,\"seed\":42,\"top_k\":40}").sampling())
        .isEqualTo(new GenerationEvent.Sampling(0.0, 0.9, 40, 64, 42L));
    assertThat(read(Endpoint.CHAT, "{\"temperature\":-1,\"top_p\":0,\"max_tokens\":0,\"top_k\":-1,\"seed\":\"x\"}").sampling()).isNull();
    assertThat(read(Endpoint.CHAT, "{\"top_p\":1.5,\"max_tokens\":100}").sampling())
        .isEqualTo(new GenerationEvent.Sampling(null, null, null, 100, null));
  }
}
