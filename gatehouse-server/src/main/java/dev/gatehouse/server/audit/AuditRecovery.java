package dev.gatehouse.server.audit;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import javax.sql.DataSource;

import dev.gatehouse.core.audit.AuditEvent;
import dev.gatehouse.server.config.GatehouseProperties;
import dev.gatehouse.server.config.InstanceId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.stereotype.Component;

/**
 * Calls that were under way when an instance stopped without ending them (a crash, a kill, a pod evicted): their
 * marks become chained records with outcome {@code interrupted}, so that a call that may have run at a target is
 * never missing from the trail (ADR 0014).
 *
 * <p>
 * Each instance refreshes its sign of life ({@code audit_writer}) every sixth of
 * {@code gatehouse.audit.instance-timeout}; the marks of an instance not seen for that long are taken over by any
 * other. On the embedded H2 database no other process can have the database open, so at start every mark left by
 * an earlier process is taken over at once.
 */
@Component
final class AuditRecovery {

	private static final Logger logger = LoggerFactory.getLogger(AuditRecovery.class);

	private static final int BATCH = 500;

	private final AuditStore store;

	private final DatabaseAuditTrail trail;

	private final Clock clock;

	private final String instance;

	private final Duration timeout;

	private final boolean embedded;

	private final TaskScheduler scheduler;

	AuditRecovery(AuditStore store, DatabaseAuditTrail trail, Clock clock, InstanceId instance,
			GatehouseProperties properties, DataSource dataSource, TaskScheduler scheduler) {
		this.store = store;
		this.trail = trail;
		this.clock = clock;
		this.instance = instance.value();
		this.timeout = properties.audit().instanceTimeout();
		this.embedded = embeddedH2(dataSource);
		this.scheduler = scheduler;
	}

	/** Takes over what earlier processes left, then keeps this instance's sign of life fresh. */
	@EventListener(ApplicationReadyEvent.class)
	void start() {
		store.heartbeat(instance, clock.instant());
		recover(embedded);
		scheduler.scheduleWithFixedDelay(this::tick, timeout.dividedBy(6));
	}

	private void tick() {
		try {
			store.heartbeat(instance, clock.instant());
			recover(false);
		}
		catch (RuntimeException ex) {
			logger.warn("Cannot refresh this instance's audit sign of life or recover stopped instances' calls: {}",
					ex.getMessage());
		}
	}

	/** Recovers every mark of stopped instances (all other instances', when {@code everyOther}). */
	int recover(boolean everyOther) {
		Instant seenBefore = clock.instant().minus(timeout);
		int total = 0;
		List<AuditEvent> recovered;
		do {
			recovered = store.recoverInterrupted(instance, seenBefore, everyOther, BATCH);
			trail.published(recovered);
			total += recovered.size();
		}
		while (recovered.size() == BATCH);
		if (total > 0) {
			logger.warn("Recorded {} call(s) as interrupted: they were under way at a target when the instance "
					+ "running them stopped without ending them", total);
		}
		store.forgetInstancesSeenBefore(seenBefore);
		return total;
	}

	private static boolean embeddedH2(DataSource dataSource) {
		try (java.sql.Connection connection = dataSource.getConnection()) {
			String url = connection.getMetaData().getURL();
			return url != null && url.startsWith("jdbc:h2:file:") && !url.toUpperCase(java.util.Locale.ROOT)
				.contains("AUTO_SERVER=TRUE");
		}
		catch (java.sql.SQLException ex) {
			return false;
		}
	}
}
