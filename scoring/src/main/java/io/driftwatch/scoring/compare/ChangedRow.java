package io.driftwatch.scoring.compare;

/**
 * A row of the archive (same row key in both runs) whose score changed much between the baseline and a
 * run: the score that changed most for it, in standard deviations of that score in the baseline.
 */
public record ChangedRow(String row, String run, String score, double baselineValue, double value, double change) {}
