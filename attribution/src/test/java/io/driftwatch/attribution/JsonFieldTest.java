package io.driftwatch.attribution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class JsonFieldTest {

  @Test
  void decodesEveryEscape() {
    assertThat(JsonField.stringField("{\"text\":\"a\\\"b\\\\c\\/d\\b\\f\\n\\r\\te\\u00e9\\ud83d\\ude00\"}", "text"))
        .isEqualTo("a\"b\\c/d\b\f\n\r\te\u00e9\uD83D\uDE00");
    assertThat(JsonField.stringField(" { \"text\" : \"plain ünïcode\" } ", "text")).isEqualTo("plain ünïcode");
  }

  @Test
  void findsOnlyTopLevelMembersAndSkipsAnyOtherValue() {
    String json = "{\"a\": -1.5e3, \"b\": true, \"c\": null, \"d\": [1, \"x]\", {\"text\": \"inner\"}],"
        + " \"e\": {\"text\": \"}{\"}, \"text\": \"outer\"}";
    assertThat(JsonField.stringField(json, "text")).isEqualTo("outer");
    assertThat(JsonField.stringField(json, "missing")).isNull();
    assertThat(JsonField.stringField("{\"text\": 3}", "text")).isNull();
    assertThat(JsonField.stringField("{}", "text")).isNull();
  }

  @Test
  void rejectsWhatIsNotAnObject() {
    assertThatThrownBy(() -> JsonField.stringField("[\"text\"]", "text")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> JsonField.stringField("{\"text\": \"open", "text")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> JsonField.stringField("{\"a\": 1 \"text\": \"x\"}", "text")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> JsonField.stringField("{\"text\": \"bad \\q\"}", "text")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> JsonField.stringField("{\"text\": \"raw\ttab\"}", "text")).isInstanceOf(IllegalArgumentException.class);
  }
}
