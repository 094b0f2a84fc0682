package dev.gatehouse.demo.conformance;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Collections;
import java.util.Map;

import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.TypeRef;

/**
 * JSON reading and writing for the fixture. Schemas are written as JSON text so that they
 * read like the conformance suite's own fixture and keep their key order on the wire
 * (Jackson reads objects into {@code LinkedHashMap}s).
 */
final class FixtureJson {

	static final McpJsonMapper MAPPER = McpJsonDefaults.getMapper();

	private static final TypeRef<Map<String, Object>> OBJECT = new TypeRef<>() {
	};

	private FixtureJson() {
	}

	/**
	 * Parses a JSON object written in the source.
	 * @param json a JSON object
	 * @return an unmodifiable, insertion-ordered map
	 */
	static Map<String, Object> object(String json) {
		try {
			return Collections.unmodifiableMap(MAPPER.readValue(json, OBJECT));
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Invalid JSON in the fixture source", ex);
		}
	}

	static String write(Object value) {
		try {
			return MAPPER.writeValueAsString(value);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not write JSON", ex);
		}
	}

}
