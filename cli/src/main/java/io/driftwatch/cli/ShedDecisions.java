package io.driftwatch.cli;

import io.driftwatch.contract.EventCodec;
import io.driftwatch.contract.ScoreRecord;
import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

/**
 * The generations a monitor run shed (scored without semantic scores while its model could not keep up),
 * read back from that run's score records, so that {@code driftwatch score --shed-as} scores them the same
 * way and its records can be compared with the monitor's byte for byte.
 *
 * <p>The file holds score records one JSON object a line, plain or gzip: what {@code kcat -C -t
 * driftwatch.scores} prints. A generation counts as shed when any of its records carries the flag
 * {@value ScoreRecord#SEMANTIC_SHED}: the monitor flags every record of a shed generation, so one is enough,
 * and a file holding only part of a run still names every generation it shows.
 */
record ShedDecisions(Set<String> shed, int records, int generations) {

  ShedDecisions {
    shed = Set.copyOf(shed);
  }

  /** Reads the file; a line that is not a score record stops the command with the file and line named. */
  static ShedDecisions read(Path file) {
    Set<String> shed = new HashSet<>();
    Set<String> seen = new HashSet<>();
    int records = 0;
    try (InputStream in = InputFiles.maybeGunzip(new BufferedInputStream(Files.newInputStream(file), 1 << 16));
        BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      String line;
      long lineNumber = 0;
      while ((line = reader.readLine()) != null) {
        lineNumber++;
        if (line.isBlank()) {
          continue;
        }
        ScoreRecord record = parse(file, lineNumber, line);
        records++;
        seen.add(record.generationId());
        if (record.flags().contains(ScoreRecord.SEMANTIC_SHED)) {
          shed.add(record.generationId());
        }
      }
    } catch (NoSuchFileException e) {
      throw new UserFacingException("--shed-as: no such file: " + file);
    } catch (IOException e) {
      throw new UserFacingException("--shed-as: cannot read " + file + ": " + e.getMessage());
    }
    if (records == 0) {
      throw new UserFacingException("--shed-as: " + file + " holds no score records (expected the scores topic's records, one JSON "
          + "object a line, as kcat -C -t driftwatch.scores prints them)");
    }
    return new ShedDecisions(shed, records, seen.size());
  }

  private static ScoreRecord parse(Path file, long lineNumber, String line) {
    ScoreRecord record;
    try {
      record = EventCodec.fromJson(line.getBytes(StandardCharsets.UTF_8), ScoreRecord.class);
    } catch (IOException | RuntimeException e) {
      throw new UserFacingException("--shed-as: " + file + " line " + lineNumber + " is not a score record: " + firstLine(e.getMessage()));
    }
    if (record.generationId() == null || !(ScoreRecord.SENTENCE.equals(record.kind()) || ScoreRecord.SUMMARY.equals(record.kind()))) {
      throw new UserFacingException("--shed-as: " + file + " line " + lineNumber
          + " is not a score record (it has no generation_id, or a kind other than sentence or summary; alert events and token events do not belong here)");
    }
    return record;
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "unreadable JSON";
    }
    int end = message.indexOf('\n');
    return end < 0 ? message : message.substring(0, end);
  }

  boolean isShed(String generationId) {
    return shed.contains(generationId);
  }
}
