package io.driftwatch.contract;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;

/**
 * A record on the radius topic: the effective context radius of one sampled generation, measured by
 * the live probe asking the served model for the loss of the generation's last tokens at truncated
 * contexts (docs/radius.md).
 *
 * @param model the model name the probe asked the endpoint for
 * @param contexts the probed context lengths in tokens, ascending; the last is the full context
 * @param nll mean negative log-likelihood (nats per token) of the tokens measured at each length
 * @param reference mean negative log-likelihood of the same tokens at full context
 * @param radius the shortest probed context whose excess over the reference is within {@code tolerance}
 * @param tolerance nats per token above the reference that still count as the full context's loss
 * @param fit the power-law summary of the curve; absent with fewer than three lengths
 * @param targetTokens tokens the loss was measured on, in the server's tokenization at full context
 * @param eventTime event time of the generation's end event
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RadiusRecord(
    Integer v,
    String generationId,
    String runId,
    String model,
    List<Integer> contexts,
    List<Double> nll,
    List<Double> reference,
    int radius,
    double tolerance,
    Fit fit,
    int targetTokens,
    Instant eventTime) {

  public RadiusRecord {
    contexts = List.copyOf(contexts);
    nll = List.copyOf(nll);
    reference = List.copyOf(reference);
  }

  /** {@code L(m) = floor + scale · m^(−exponent)} fitted to the losses; {@code r_squared} says how well. */
  public record Fit(double floor, double scale, double exponent, double rSquared) {}
}
