package io.driftwatch.scoring.engine;

/**
 * An event the engine could not use because of what came before it (a duplicate token, an event after
 * the end); the caller sends it to the dead-letter topic. {@code reason} is a stable rule name.
 */
public record Rejection(String reason, String message) {}
