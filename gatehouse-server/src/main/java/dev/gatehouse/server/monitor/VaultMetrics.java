package dev.gatehouse.server.monitor;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.gatehouse.server.credentials.Grant;
import dev.gatehouse.server.credentials.Grants;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.dao.DataAccessException;
import org.springframework.stereotype.Component;

/**
 * The size of the vault: grants by status ({@code gatehouse.vault.grants}). The counts come from one aggregate
 * query of the {@code upstream_grant} table, run at most every 30 seconds however often Prometheus scrapes, so
 * the value may lag by that much. The table is shared, so every instance reports the same cluster-wide value:
 * aggregate with {@code max}, not {@code sum}. Thread-safe.
 */
@Component
final class VaultMetrics {

	private static final Logger logger = LoggerFactory.getLogger(VaultMetrics.class);

	private static final long MAX_AGE_NANOS = TimeUnit.SECONDS.toNanos(30);

	private final Grants grants;

	private Map<String, Long> counts = Map.of();

	private long readAt;

	private boolean read;

	VaultMetrics(MeterRegistry registry, Grants grants) {
		this.grants = grants;
		for (String status : List.of(Grant.ACTIVE, Grant.RECONSENT_REQUIRED, Grant.PENDING)) {
			Gauge.builder("gatehouse.vault.grants", this, (metrics) -> metrics.count(status))
				.description("Grants in the vault by status (cluster-wide, refreshed at most every 30 s)")
				.tag("status", status)
				.register(registry);
		}
	}

	private synchronized double count(String status) {
		long now = System.nanoTime();
		if (!read || now - readAt > MAX_AGE_NANOS) {
			try {
				counts = grants.countByStatus();
			}
			catch (DataAccessException ex) {
				// Keep the last counts: a scrape must not fail because the database is briefly away.
				logger.debug("Counting grants failed: {}", ex.getMessage());
			}
			readAt = now;
			read = true;
		}
		return counts.getOrDefault(status, 0L);
	}
}
