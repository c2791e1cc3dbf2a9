package io.driftwatch.producers.tap;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * Reads server-sent events incrementally from bytes as they arrive, in pieces of any size: an event, a
 * line or a UTF-8 character may be split across reads. Follows the WHATWG event-stream rules: lines end
 * with LF, CR or CRLF; {@code data} lines of one event are joined with LF; a blank line dispatches the
 * event; lines starting with a colon are comments; a leading byte-order mark is skipped; an event not
 * closed by a blank line before the stream ends is discarded.
 *
 * <p>Memory is bounded: an event larger than {@code maxEventBytes} is skipped and reported once, so a
 * misbehaving upstream cannot make the tap buffer without end. Not thread-safe; one per response.
 */
public final class SseParser {

  /** One dispatched event: its {@code event} field (null when absent) and its data. */
  public record Event(String name, String data) {}

  /** Default bound on one event: far above any completion chunk, small enough to never matter for memory. */
  public static final int DEFAULT_MAX_EVENT_BYTES = 4 * 1024 * 1024;

  private static final byte[] BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};

  private final Consumer<Event> events;
  private final Runnable oversized;
  private final int maxEventBytes;

  private byte[] line = new byte[256];
  private int lineLength;
  /** Whether the current line has any byte, kept or skipped: only a line with none is blank. */
  private boolean lineStarted;
  private final StringBuilder data = new StringBuilder();
  private boolean hasData;
  private String eventName;
  private long eventBytes;
  private boolean skippingEvent;
  private boolean previousWasCr;
  private int bomBytesSeen;
  private boolean pastStart;

  /**
   * @param events receives each complete event, in order
   * @param oversized called once for each event skipped because it exceeded {@code maxEventBytes}
   */
  public SseParser(Consumer<Event> events, Runnable oversized, int maxEventBytes) {
    this.events = events;
    this.oversized = oversized;
    this.maxEventBytes = maxEventBytes;
  }

  public SseParser(Consumer<Event> events, Runnable oversized) {
    this(events, oversized, DEFAULT_MAX_EVENT_BYTES);
  }

  public void feed(byte[] bytes, int offset, int length) {
    for (int i = offset; i < offset + length; i++) {
      byte b = bytes[i];
      if (!pastStart && skipBom(b)) {
        continue;
      }
      if (b == '\n') {
        if (previousWasCr) {
          previousWasCr = false; // the LF of a CRLF: the line already ended at the CR
        } else {
          endLine();
        }
      } else if (b == '\r') {
        previousWasCr = true;
        endLine();
      } else {
        previousWasCr = false;
        append(b);
      }
    }
  }

  /** The stream ended: an event still open is discarded, as the event-stream rules say. */
  public void finish() {
    resetEvent();
    lineLength = 0;
    lineStarted = false;
  }

  private boolean skipBom(byte b) {
    if (bomBytesSeen < BOM.length && b == BOM[bomBytesSeen]) {
      bomBytesSeen++;
      pastStart = bomBytesSeen == BOM.length;
      return true;
    }
    // Not a BOM after all: give back what looked like one (a real stream never starts with a partial BOM).
    pastStart = true;
    for (int i = 0; i < bomBytesSeen; i++) {
      append(BOM[i]);
    }
    return false;
  }

  private void append(byte b) {
    lineStarted = true;
    eventBytes++;
    if (skippingEvent) {
      return;
    }
    if (eventBytes > maxEventBytes) {
      skippingEvent = true;
      lineLength = 0;
      data.setLength(0);
      hasData = false;
      oversized.run();
      return;
    }
    if (lineLength == line.length) {
      line = Arrays.copyOf(line, line.length * 2);
    }
    line[lineLength++] = b;
  }

  private void endLine() {
    if (!lineStarted) {
      dispatch();
      return;
    }
    lineStarted = false;
    if (skippingEvent) {
      lineLength = 0;
      return;
    }
    String text = new String(line, 0, lineLength, StandardCharsets.UTF_8);
    lineLength = 0;
    if (text.startsWith(":")) {
      return; // a comment, e.g. a keep-alive ": ping"
    }
    int colon = text.indexOf(':');
    String field = colon < 0 ? text : text.substring(0, colon);
    String value = colon < 0 ? "" : text.substring(colon + 1);
    if (value.startsWith(" ")) {
      value = value.substring(1);
    }
    if (field.equals("data")) {
      if (hasData) {
        data.append('\n');
      }
      data.append(value);
      hasData = true;
    } else if (field.equals("event")) {
      eventName = value;
    }
    // id and retry matter to a browser reconnecting, not to a reader of completions.
  }

  private void dispatch() {
    if (hasData && !skippingEvent) {
      events.accept(new Event(eventName, data.toString()));
    }
    resetEvent();
  }

  private void resetEvent() {
    data.setLength(0);
    hasData = false;
    eventName = null;
    eventBytes = 0;
    skippingEvent = false;
  }
}
