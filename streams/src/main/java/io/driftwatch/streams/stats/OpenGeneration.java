package io.driftwatch.streams.stats;

import io.driftwatch.scoring.stats.GenerationState;

/**
 * A state-store entry: the scorer's state of one open generation, and when this instance last heard of
 * it (wall-clock milliseconds), which the idle punctuator uses to close generations that went quiet.
 */
public record OpenGeneration(GenerationState stats, long lastSeenMillis) {}
