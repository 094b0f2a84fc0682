package dev.gatehouse.server.config;

import java.util.Objects;
import java.util.UUID;

/**
 * This running instance of the gateway among those sharing a database: a random id, different at every start. The
 * cluster events say who published them with it, and the audit trail marks calls under way with it (so that
 * another instance can tell the calls of an instance that stopped).
 *
 * @param value the id, a UUID
 */
public record InstanceId(String value) {

	public InstanceId {
		Objects.requireNonNull(value, "value must not be null");
	}

	/** A fresh id. */
	static InstanceId random() {
		return new InstanceId(UUID.randomUUID().toString());
	}

	@Override
	public String toString() {
		return value;
	}
}
