package io.driftwatch.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.driftwatch.contract.AlertEvent;
import io.driftwatch.contract.EventCodec;
import io.driftwatch.contract.ScoreRecord;
import io.driftwatch.scoring.compare.RunScores;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads what {@code score} writes (score records, and alert events from its --alerts file), JSON lines,
 * plain or gzip, into runs: by run id, or one run per file. A line that is neither is an error naming the
 * file and line: a report built on half a file would mislead.
 */
final class ScoreFiles {

  private ScoreFiles() {}

  /**
   * @param byFile one run per file, named by the file, whatever run ids it holds (for files scored with the
   *     same --run-id); else one run per run id over all files
   */
  static List<RunScores> read(List<ArchiveInputs.Archive> files, boolean byFile) {
    Map<String, RunScores.Builder> runs = new LinkedHashMap<>();
    Map<String, Set<Integer>> filesOfRun = new LinkedHashMap<>();
    for (int fileIndex = 0; fileIndex < files.size(); fileIndex++) {
      ArchiveInputs.Archive file = files.get(fileIndex);
      try (BufferedReader in = new BufferedReader(new InputStreamReader(ArchiveScan.open(file), StandardCharsets.UTF_8), 1 << 16)) {
        long lineNumber = 0;
        for (String line = in.readLine(); line != null; line = in.readLine()) {
          lineNumber++;
          if (line.isBlank()) {
            continue;
          }
          JsonNode node = parse(file, lineNumber, line);
          String runId = node.path("run_id").asText(null);
          if (runId == null) {
            throw new UserFacingException(file.given() + ":" + lineNumber + ": a record without run_id; compare reads the score "
                + "records and alert events that score and the monitor write");
          }
          String label = byFile ? file.name() : runId;
          filesOfRun.computeIfAbsent(runId, k -> new LinkedHashSet<>()).add(fileIndex);
          RunScores.Builder run = runs.computeIfAbsent(label, RunScores.Builder::new);
          if (node.has("kind") && node.has("scores")) {
            run.add(record(file, lineNumber, node, ScoreRecord.class));
          } else if (node.has("rule") && node.has("state")) {
            run.add(record(file, lineNumber, node, AlertEvent.class));
          } else {
            throw new UserFacingException(file.given() + ":" + lineNumber + ": neither a score record nor an alert event; compare "
                + "reads what score writes (its output and its --alerts file)");
          }
        }
      } catch (IOException e) {
        throw new UserFacingException(file.given() + ": cannot be read (" + e.getMessage() + ")");
      }
      // An empty file is fine: an alerts file of a run where no rule fired is one.
    }
    List<RunScores> out = new ArrayList<>();
    runs.values().forEach(b -> out.add(b.build()));
    List<RunScores> withGenerations = out.stream().filter(r -> r.generations() > 0).toList();
    if (withGenerations.size() < 2) {
      String found = String.join(", ", runs.keySet());
      boolean shared = !byFile && files.size() > 1 && filesOfRun.values().stream().anyMatch(f -> f.size() > 1);
      throw new UserFacingException("compare needs two runs with summary records; found " + (found.isEmpty() ? "none" : found)
          + (shared ? "; these files share a run id: add --by-file to compare them file by file" : ""));
    }
    return withGenerations;
  }

  private static <T> T record(ArchiveInputs.Archive file, long lineNumber, JsonNode node, Class<T> type) {
    try {
      return EventCodec.MAPPER.treeToValue(node, type);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new UserFacingException(file.given() + ":" + lineNumber + ": not a whole " + (type == ScoreRecord.class ? "score record" : "alert event")
          + " (" + e.getOriginalMessage() + ")");
    }
  }

  private static JsonNode parse(ArchiveInputs.Archive file, long lineNumber, String line) {
    try {
      return EventCodec.MAPPER.readTree(line);
    } catch (IOException e) {
      throw new UserFacingException(file.given() + ":" + lineNumber + ": not JSON; compare reads the JSON lines that score writes");
    }
  }
}
