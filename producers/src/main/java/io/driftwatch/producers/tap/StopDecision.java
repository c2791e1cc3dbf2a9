package io.driftwatch.producers.tap;

/**
 * The guard's decision to stop one generation of a response.
 *
 * @param generationId the generation the rule fired for
 * @param rule the rule's name
 * @param path where it was decided (GenerationEvent.Guard.IN_PROCESS or KAFKA)
 * @param seq the tripping token
 * @param token the tripping token's text (model text: escaped wherever it is written)
 * @param decidedNanos System.nanoTime() when the tripping token was seen
 */
record StopDecision(String generationId, String rule, String path, long seq, String token, long decidedNanos) {}
