package io.driftwatch.scoring.guard;

/**
 * A guarded rule fired for a generation.
 *
 * @param rule the alert rule's name
 * @param seq the token whose arrival made it fire: the point from which a stop's latency is counted
 */
public record GuardTrip(String rule, long seq) {}
