package dev.gatehouse.server.audit;

import java.time.Clock;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import dev.gatehouse.server.config.GatehouseProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Every {@code gatehouse.audit.maintenance-interval}, on every instance (the work is idempotent and serialized by
 * the chain head's lock): checkpoint the finished days, then delete the records of days older than
 * {@code gatehouse.audit.retention} that have a checkpoint. A day is never deleted before it is checkpointed.
 */
@Component
final class AuditMaintenance {

	private static final Logger logger = LoggerFactory.getLogger(AuditMaintenance.class);

	private final AuditIntegrity integrity;

	private final AuditStore store;

	private final AuditTrail trail;

	private final Clock clock;

	private final GatehouseProperties.Audit properties;

	AuditMaintenance(AuditIntegrity integrity, AuditStore store, AuditTrail trail, Clock clock,
			GatehouseProperties properties) {
		this.integrity = integrity;
		this.store = store;
		this.trail = trail;
		this.clock = clock;
		this.properties = properties.audit();
	}

	@Scheduled(fixedDelayString = "${gatehouse.audit.maintenance-interval:1m}",
			initialDelayString = "${gatehouse.audit.maintenance-interval:1m}")
	void scheduled() {
		try {
			run();
		}
		catch (RuntimeException ex) {
			logger.warn("Audit maintenance failed: {}", ex.getMessage());
		}
	}

	/** One pass: checkpoints, then retention. Returns how many records were deleted. */
	int run() {
		List<LocalDate> checkpointed = integrity.checkpointFinishedDays();
		LocalDate keepFrom = AuditStore.day(clock.instant().minus(properties.retention()));
		int deleted = store.deleteCheckpointedBefore(keepFrom, clock.instant());
		if (deleted > 0) {
			logger.info("Audit retention ({}): deleted {} record(s) of days before {}", properties.retention(), deleted,
					keepFrom);
			trail.event("audit_retention_applied", Map.of("before", keepFrom.toString(), "records", deleted));
		}
		if (!checkpointed.isEmpty()) {
			logger.debug("Audit checkpoints made for {}", checkpointed);
		}
		return deleted;
	}
}
