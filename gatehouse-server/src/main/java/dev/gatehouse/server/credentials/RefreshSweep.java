package dev.gatehouse.server.credentials;

import java.time.Clock;
import java.time.Instant;

import dev.gatehouse.core.target.TargetAuth;
import dev.gatehouse.server.catalog.StoredTarget;
import dev.gatehouse.server.catalog.TargetRegistry;
import dev.gatehouse.server.config.GatehouseProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Keeps recently used grants fresh: every {@code gatehouse.oauth.sweep-interval}, each grant used within
 * {@code gatehouse.oauth.sweep-window} whose access token expires before the next sweep (plus the refresh skew)
 * is refreshed, so a user's next call does not wait for the authorization server. It goes through the same
 * single-flight refresh as calls, so instances sweeping at once refresh each grant once.
 */
@Component
final class RefreshSweep {

	private static final Logger logger = LoggerFactory.getLogger(RefreshSweep.class);

	private final GrantStore store;

	private final UpstreamTokens tokens;

	private final TargetRegistry targets;

	private final Clock clock;

	private final GatehouseProperties.OAuth properties;

	RefreshSweep(GrantStore store, UpstreamTokens tokens, TargetRegistry targets, Clock clock,
			GatehouseProperties properties) {
		this.store = store;
		this.tokens = tokens;
		this.targets = targets;
		this.clock = clock;
		this.properties = properties.oauth();
	}

	@Scheduled(fixedDelayString = "${gatehouse.oauth.sweep-interval:30s}",
			initialDelayString = "${gatehouse.oauth.sweep-interval:30s}")
	void sweep() {
		try {
			run();
		}
		catch (RuntimeException ex) {
			logger.warn("The grant refresh sweep failed: {}", ex.getMessage());
		}
	}

	/** One pass; returns how many grants it tried to refresh. */
	int run() {
		Instant now = clock.instant();
		Instant before = now.plus(properties.sweepInterval()).plus(properties.refreshSkew());
		int tried = 0;
		for (Grant grant : store.dueForRefresh(before, now.minus(properties.sweepWindow()), now)) {
			var target = targets.find(grant.target()).map(StoredTarget::target)
				.filter((t) -> t.enabled() && t.auth() instanceof TargetAuth.OAuth2);
			if (target.isPresent()) {
				tokens.refreshAhead(grant, target.get());
				tried++;
			}
		}
		return tried;
	}
}
