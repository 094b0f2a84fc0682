package dev.gatehouse.server.testing;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.gatehouse.server.config.GatehouseProperties;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/**
 * {@link GatehouseProperties} bound the way the application binds them, defaults included, from a few keys
 * (without the {@code gatehouse.} prefix).
 */
public final class TestProperties {

	private TestProperties() {
	}

	public static GatehouseProperties bind(Map<String, Object> values) {
		Map<String, Object> prefixed = new LinkedHashMap<>();
		values.forEach((k, v) -> prefixed.put("gatehouse." + k, v));
		return new Binder(new MapConfigurationPropertySource(prefixed)).bindOrCreate("gatehouse",
				GatehouseProperties.class);
	}
}
