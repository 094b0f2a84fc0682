/**
 * Metrics with Micrometer, exposed at {@code /actuator/prometheus}.
 */
@NullMarked
package dev.gatehouse.server.monitor;

import org.jspecify.annotations.NullMarked;
