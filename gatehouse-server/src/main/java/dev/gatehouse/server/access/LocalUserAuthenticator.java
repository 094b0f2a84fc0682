package dev.gatehouse.server.access;

import java.util.Set;

import dev.gatehouse.core.access.Caller;
import dev.gatehouse.server.config.GatehouseProperties;
import jakarta.servlet.http.HttpServletRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * The development-only single local user: when {@code gatehouse.access.local-user.enabled=true}, every request
 * acts as that user without a token; otherwise every request is refused until an identity provider is
 * configured. While the mode is on the gateway says so loudly, at start-up and every hour.
 */
@Component
final class LocalUserAuthenticator implements InboundAuthenticator {

	private static final Logger logger = LoggerFactory.getLogger(LocalUserAuthenticator.class);

	private final GatehouseProperties.LocalUser localUser;

	private final Caller caller;

	LocalUserAuthenticator(GatehouseProperties properties) {
		this.localUser = properties.access().localUser();
		this.caller = new Caller(Caller.LOCAL_ISSUER, localUser.subject(), null, Set.of("admin"), Set.of());
		warnIfEnabled();
	}

	@Override
	public Caller authenticate(HttpServletRequest request) {
		if (!localUser.enabled()) {
			throw new AuthenticationRequiredException(
					"no identity provider is configured and the development local user is off");
		}
		return caller;
	}

	@Scheduled(fixedDelay = 3_600_000, initialDelay = 3_600_000)
	void warnIfEnabled() {
		if (localUser.enabled()) {
			logger.warn("*** DEVELOPMENT MODE: gatehouse.access.local-user.enabled=true. Every request to /mcp and "
					+ "/admin acts as local user '{}' WITHOUT authentication. Never expose this gateway. ***",
					localUser.subject());
		}
	}
}
