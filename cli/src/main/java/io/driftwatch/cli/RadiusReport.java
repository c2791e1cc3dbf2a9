package io.driftwatch.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.driftwatch.scoring.radius.GenerationRadius;
import io.driftwatch.scoring.radius.LossCurve;
import io.driftwatch.scoring.radius.PowerLawFit;
import io.driftwatch.scoring.radius.ProbeCounters;
import io.driftwatch.scoring.radius.RadiusByModel;
import java.util.List;
import java.util.Locale;

/**
 * What {@code probe radius} found, as a table for people, JSON lines and a long CSV for notebooks.
 * Generation ids and model names come from archives: the table shows them without control characters
 * (no terminal escapes), the CSV quotes them as {@link CompareCsv} does, and JSON escapes them.
 */
final class RadiusReport {

  private static final ObjectMapper JSON = new ObjectMapper();

  private RadiusReport() {}

  static String table(RadiusByModel.ModelRadius model, List<GenerationRadius> generations, double tolerance) {
    StringBuilder out = new StringBuilder();
    LossCurve c = model.curve();
    out.append(String.format(Locale.ROOT, "Effective context radius of %s: %d tokens (tolerance %.3f nats/token, %d generations)%n%n",
        printable(model.model()), model.radius(), tolerance, model.generations()));
    out.append(String.format(Locale.ROOT, "%8s  %9s  %9s  %9s%n", "context", "loss", "at full", "excess"));
    for (int i = 0; i < c.contexts().size(); i++) {
      String m = i == c.contexts().size() - 1 ? "full" : Integer.toString(c.contexts().get(i));
      out.append(String.format(Locale.ROOT, "%8s  %9.4f  %9.4f  %9.4f%s%n", m, c.nll().get(i), c.reference().get(i), c.excess(i),
          c.contexts().get(i) == model.radius() && i < c.contexts().size() - 1 ? "  <- radius" : ""));
    }
    out.append(String.format(Locale.ROOT, "(loss: mean NLL in nats/token of the tokens measured at that context; at full: the same tokens "
        + "with all their context; the longest full context is %d tokens)%n", c.fullContext()));
    PowerLawFit fit = model.fit();
    if (fit != null) {
      out.append(String.format(Locale.ROOT, "fit: L(m) = %.4f + %.4f * m^-%.3f  (R^2 %.3f)%n", fit.floor(), fit.scale(), fit.exponent(),
          fit.rSquared()));
    }
    out.append(String.format(Locale.ROOT, "%n%-40s  %7s  %12s  %9s%n", "generation", "radius", "full context", "gain"));
    for (GenerationRadius g : generations) {
      out.append(String.format(Locale.ROOT, "%-40s  %7d  %12d  %9.4f%n", printable(g.id()), g.radius(), g.curve().fullContext(),
          g.curve().contextGain()));
    }
    return out.toString();
  }

  static String jsonLines(RadiusByModel.ModelRadius model, List<GenerationRadius> generations, String endpoint, double tolerance,
      ProbeCounters counters, long budget) {
    StringBuilder out = new StringBuilder();
    for (GenerationRadius g : generations) {
      ObjectNode n = JSON.createObjectNode().put("kind", "generation").put("generation_id", g.id()).put("model", g.model())
          .put("radius", g.radius()).put("full_context", g.curve().fullContext()).put("target_tokens", g.targetTokens());
      curve(n, g.curve());
      fit(n, g.fit());
      out.append(n).append('\n');
    }
    ObjectNode n = JSON.createObjectNode().put("kind", "model").put("model", model.model()).put("endpoint", endpoint)
        .put("generations", model.generations()).put("tolerance", tolerance).put("radius", model.radius());
    curve(n, model.curve());
    fit(n, model.fit());
    n.put("requests", counters.requests()).put("retries", counters.retries()).put("failed_attempts", counters.failedAttempts())
        .put("tokens_sent", counters.tokensSent()).put("token_budget", budget);
    return out.append(n).append('\n').toString();
  }

  static String csv(RadiusByModel.ModelRadius model, List<GenerationRadius> generations) {
    StringBuilder out = new StringBuilder("kind,id,model,context,nll,reference,excess\n");
    for (GenerationRadius g : generations) {
      rows(out, "generation", g.id(), g.model(), g.curve());
    }
    rows(out, "model", model.model(), model.model(), model.curve());
    return out.toString();
  }

  private static void rows(StringBuilder out, String kind, String id, String model, LossCurve c) {
    for (int i = 0; i < c.contexts().size(); i++) {
      out.append(kind).append(',').append(CompareCsv.text(id)).append(',').append(CompareCsv.text(model)).append(',')
          .append(c.contexts().get(i)).append(',').append(number(c.nll().get(i))).append(',').append(number(c.reference().get(i)))
          .append(',').append(number(c.excess(i))).append('\n');
    }
  }

  private static void curve(ObjectNode n, LossCurve c) {
    ArrayNode points = n.putArray("curve");
    for (int i = 0; i < c.contexts().size(); i++) {
      points.addObject().put("context", c.contexts().get(i)).put("nll", c.nll().get(i)).put("reference", c.reference().get(i))
          .put("excess", c.excess(i));
    }
  }

  private static void fit(ObjectNode n, PowerLawFit fit) {
    if (fit == null) {
      n.putNull("fit");
    } else {
      n.putObject("fit").put("floor", fit.floor()).put("scale", fit.scale()).put("exponent", fit.exponent()).put("r_squared", fit.rSquared());
    }
  }

  private static String number(double v) {
    return String.format(Locale.ROOT, "%.6f", v);
  }

  /** Text from an archive, safe to print on a terminal: control characters (escape sequences) become '?'. */
  static String printable(String s) {
    StringBuilder b = new StringBuilder(s.length());
    s.codePoints().forEach(cp -> b.appendCodePoint(Character.isISOControl(cp) || cp == 0x2028 || cp == 0x2029 ? '?' : cp));
    return b.toString();
  }
}
