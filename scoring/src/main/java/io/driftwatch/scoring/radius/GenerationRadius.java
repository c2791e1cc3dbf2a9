package io.driftwatch.scoring.radius;

/**
 * The probe's result for one generation.
 *
 * @param radius the shortest probed context within the tolerance of the full-context loss
 * @param fit the curve's power-law summary; null with fewer than three points
 * @param targetTokens how many tokens the loss is measured on, in the server's tokenization at full context
 */
public record GenerationRadius(String id, String model, LossCurve curve, int radius, PowerLawFit fit, int targetTokens) {}
