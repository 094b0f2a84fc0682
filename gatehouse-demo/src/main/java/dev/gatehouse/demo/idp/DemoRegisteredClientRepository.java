package dev.gatehouse.demo.idp;

import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

import org.jspecify.annotations.Nullable;

import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;

/**
 * Registered clients in memory. Spring's {@code InMemoryRegisteredClientRepository} would
 * do, except that it refuses to start empty, and this provider starts with no client when
 * no gateway client is configured (dynamic registration adds the rest). Thread-safe.
 */
final class DemoRegisteredClientRepository implements RegisteredClientRepository {

	private final Map<String, RegisteredClient> byId = new ConcurrentHashMap<>();

	private final Map<String, RegisteredClient> byClientId = new ConcurrentHashMap<>();

	@Override
	public synchronized void save(RegisteredClient registeredClient) {
		Objects.requireNonNull(registeredClient, "registeredClient must not be null");
		RegisteredClient sameClientId = this.byClientId.get(registeredClient.getClientId());
		if (sameClientId != null && !sameClientId.getId().equals(registeredClient.getId())) {
			throw new IllegalArgumentException("client_id " + registeredClient.getClientId() + " is taken");
		}
		RegisteredClient previous = this.byId.put(registeredClient.getId(), registeredClient);
		if (previous != null) {
			this.byClientId.remove(previous.getClientId());
		}
		this.byClientId.put(registeredClient.getClientId(), registeredClient);
	}

	@Override
	public @Nullable RegisteredClient findById(String id) {
		return this.byId.get(id);
	}

	@Override
	public @Nullable RegisteredClient findByClientId(String clientId) {
		return this.byClientId.get(clientId);
	}

}
