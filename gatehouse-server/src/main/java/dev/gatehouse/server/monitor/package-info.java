/**
 * Step 8 of the tool-call path, beside the audit trail: metrics with Micrometer, exposed at
 * {@code /actuator/prometheus} (tool calls, the gateway's own time and the wait for targets, sessions, and
 * security metrics derived from the audit trail), and tracing with the OpenTelemetry SDK (a span per tool call, W3C
 * trace context to targets). {@code docs/operations.md} lists every metric.
 */
@NullMarked
package dev.gatehouse.server.monitor;

import org.jspecify.annotations.NullMarked;
