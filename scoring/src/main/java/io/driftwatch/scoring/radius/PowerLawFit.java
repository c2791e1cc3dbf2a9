package io.driftwatch.scoring.radius;

import java.util.List;

/**
 * The loss curve summarised as {@code L(m) = floor + scale · m^(−exponent)}, the form in which loss
 * against context length is usually reported: {@code floor} is the loss an unbounded context would
 * reach, {@code exponent} how fast context stops helping. Fitted by least squares: for each exponent
 * on a grid the other two parameters are a linear regression, and the best grid point wins, which
 * needs no starting guess and cannot diverge.
 *
 * @param rSquared share of the curve's variance the fit explains; 1 when the curve is flat and fitted
 *     exactly
 */
public record PowerLawFit(double floor, double scale, double exponent, double rSquared) {

  private static final double MIN_EXPONENT = 0.01;
  private static final double MAX_EXPONENT = 4.0;
  private static final int GRID = 400;

  /** The fitted loss at a context of {@code m} tokens. */
  public double at(double m) {
    return floor + scale * Math.pow(m, -exponent);
  }

  /**
   * Fits a curve's full-context-scale losses ({@link LossCurve#adjustedNll}); null when it has fewer than
   * three points (two parameters plus the exponent).
   */
  public static PowerLawFit fit(LossCurve curve) {
    List<Integer> ms = curve.contexts();
    int n = ms.size();
    List<Double> ys = java.util.stream.IntStream.range(0, n).mapToObj(curve::adjustedNll).toList();
    if (n < 3) {
      return null;
    }
    double meanY = ys.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
    double sst = 0;
    for (double y : ys) {
      sst += (y - meanY) * (y - meanY);
    }
    PowerLawFit best = null;
    double bestSse = Double.POSITIVE_INFINITY;
    for (int g = 0; g <= GRID; g++) {
      // Log-spaced exponents: the curve's shape changes as much between 0.01 and 0.02 as between 1 and 2.
      double e = MIN_EXPONENT * Math.pow(MAX_EXPONENT / MIN_EXPONENT, (double) g / GRID);
      double sx = 0;
      double sxx = 0;
      double sxy = 0;
      double sy = 0;
      for (int i = 0; i < n; i++) {
        double x = Math.pow(ms.get(i), -e);
        double y = ys.get(i);
        sx += x;
        sxx += x * x;
        sxy += x * y;
        sy += y;
      }
      double det = n * sxx - sx * sx;
      if (det <= 0) {
        continue;
      }
      double scale = (n * sxy - sx * sy) / det;
      double floor = (sy - scale * sx) / n;
      double sse = 0;
      for (int i = 0; i < n; i++) {
        double r = ys.get(i) - (floor + scale * Math.pow(ms.get(i), -e));
        sse += r * r;
      }
      if (sse < bestSse) {
        bestSse = sse;
        best = new PowerLawFit(floor, scale, e, sst > 0 ? 1 - sse / sst : 1.0);
      }
    }
    return best;
  }
}
