package io.driftwatch.scoring.radius;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The radius per model over its most recent probed generations: their losses and full-context
 * references averaged rung by rung, then the radius of the mean curve. A window rather than all history, so that a model whose behaviour
 * changes (a new deployment, a changed context setting) shows the change once the window has turned over.
 *
 * <p>Generations have different full contexts. At a rung beyond a generation's full context it counts
 * with its full-context point (showing it more context than it has changes nothing, so its excess
 * there is zero), so every generation contributes to every rung, and the mean curve's last point is
 * every generation at full context.
 */
public final class RadiusByModel {

  /**
   * One model's radius.
   *
   * @param generations how many generations the curve averages
   */
  public record ModelRadius(String model, int generations, LossCurve curve, int radius, PowerLawFit fit) {}

  private final int window;
  private final double tolerance;
  private final Map<String, Deque<LossCurve>> recent = new LinkedHashMap<>();

  public RadiusByModel(int window, double tolerance) {
    if (window < 1) {
      throw new IllegalArgumentException("the window holds at least one generation, not " + window);
    }
    this.window = window;
    this.tolerance = tolerance;
  }

  public void add(GenerationRadius g) {
    Deque<LossCurve> curves = recent.computeIfAbsent(g.model(), m -> new ArrayDeque<>());
    curves.addLast(g.curve());
    while (curves.size() > window) {
      curves.removeFirst();
    }
  }

  /** Every model seen so far, in the order first seen. */
  public List<ModelRadius> models() {
    List<ModelRadius> out = new ArrayList<>();
    recent.keySet().forEach(m -> out.add(model(m)));
    return out;
  }

  /** One model's radius; null when none of its generations was probed. */
  public ModelRadius model(String model) {
    Deque<LossCurve> curves = recent.get(model);
    if (curves == null || curves.isEmpty()) {
      return null;
    }
    TreeSet<Integer> rungs = new TreeSet<>();
    int longest = 0;
    for (LossCurve c : curves) {
      longest = Math.max(longest, c.fullContext());
      rungs.addAll(c.contexts().subList(0, c.contexts().size() - 1));
    }
    rungs.add(longest);
    List<Integer> contexts = new ArrayList<>(rungs.headSet(longest, true));
    List<Double> nll = new ArrayList<>();
    List<Double> reference = new ArrayList<>();
    for (int m : contexts) {
      double sumNll = 0;
      double sumReference = 0;
      for (LossCurve c : curves) {
        int i = rungAt(c, m == longest ? Integer.MAX_VALUE : m);
        sumNll += c.nll().get(i);
        sumReference += c.reference().get(i);
      }
      nll.add(sumNll / curves.size());
      reference.add(sumReference / curves.size());
    }
    LossCurve curve = new LossCurve(contexts, nll, reference);
    return new ModelRadius(model, curves.size(), curve, curve.radius(tolerance), PowerLawFit.fit(curve));
  }

  /** The longest probed context not above {@code m} (the shortest when none is): exact on a shared ladder, conservative otherwise. */
  private static int rungAt(LossCurve c, int m) {
    int at = 0;
    for (int i = 0; i < c.contexts().size(); i++) {
      if (c.contexts().get(i) <= m) {
        at = i;
      }
    }
    return at;
  }
}
