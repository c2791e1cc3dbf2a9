package io.driftwatch.producers.text;

import java.util.List;

/**
 * Cuts a text without token boundaries into tokens whose concatenation is the text. The default is
 * {@link SimpleTokenizer}; a model's own tokenizer can stand in (the CLI offers a HuggingFace
 * tokenizer.json through DJL).
 */
@FunctionalInterface
public interface TokenSplitter {

  List<String> split(String text);

  TokenSplitter SIMPLE = SimpleTokenizer::tokenize;
}
