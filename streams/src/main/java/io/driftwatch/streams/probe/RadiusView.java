package io.driftwatch.streams.probe;

import io.driftwatch.contract.RadiusRecord;
import io.driftwatch.scoring.radius.GenerationRadius;
import io.driftwatch.scoring.radius.RadiusByModel;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the web view shows of this instance's live probe: each model's mean loss curve over its latest
 * probed generations, and the records of the latest probed generations (a bounded number, the oldest
 * forgotten first). Read by web requests while the probing thread writes, hence synchronised.
 */
public final class RadiusView {

  /** A model's mean curve as the web view serves it. */
  public record ModelCurve(String model, int generations, List<Integer> contexts, List<Double> nll, List<Double> reference, int radius,
      RadiusRecord.Fit fit) {}

  /** What {@code /api/radius} serves. */
  public record Listing(List<ModelCurve> models, double tolerance) {}

  private final RadiusByModel byModel;
  private final double tolerance;
  private final int keep;
  private final Map<String, RadiusRecord> recent = new LinkedHashMap<>();

  /**
   * @param window generations per model the mean curve averages
   * @param keep probed generations whose records are kept for their pages
   */
  public RadiusView(int window, double tolerance, int keep) {
    if (keep < 1) {
      throw new IllegalArgumentException("keep at least one generation's record, not " + keep);
    }
    this.byModel = new RadiusByModel(window, tolerance);
    this.tolerance = tolerance;
    this.keep = keep;
  }

  /** Adds a probed generation; returns its model's radius over the window. */
  public synchronized int add(GenerationRadius result, RadiusRecord record) {
    byModel.add(result);
    recent.remove(record.generationId());
    recent.put(record.generationId(), record);
    if (recent.size() > keep) {
      recent.remove(recent.keySet().iterator().next());
    }
    return byModel.model(result.model()).radius();
  }

  public synchronized Optional<RadiusRecord> generation(String generationId) {
    return Optional.ofNullable(recent.get(generationId));
  }

  /** The kept records of a model's probed generations, oldest first. */
  public synchronized List<RadiusRecord> records(String model) {
    return recent.values().stream().filter(r -> model.equals(r.model())).toList();
  }

  public synchronized Optional<RadiusByModel.ModelRadius> model(String model) {
    return Optional.ofNullable(byModel.model(model));
  }

  public synchronized Listing listing() {
    List<ModelCurve> out = new ArrayList<>();
    for (RadiusByModel.ModelRadius m : byModel.models()) {
      var fit = m.fit() == null ? null : new RadiusRecord.Fit(m.fit().floor(), m.fit().scale(), m.fit().exponent(), m.fit().rSquared());
      out.add(new ModelCurve(m.model(), m.generations(), m.curve().contexts(), m.curve().nll(), m.curve().reference(), m.radius(), fit));
    }
    return new Listing(out, tolerance);
  }
}
