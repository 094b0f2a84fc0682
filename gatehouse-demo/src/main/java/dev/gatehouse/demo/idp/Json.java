package dev.gatehouse.demo.idp;

import java.net.http.HttpResponse;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.gatehouse.demo.idp.HeadlessLoginException.Step;

/**
 * JSON reading and writing for {@link HeadlessLogin} (Jackson 3).
 */
final class Json {

	private static final JsonMapper MAPPER = JsonMapper.builder().build();

	private Json() {
	}

	/**
	 * Parses a response body that must be a JSON object.
	 * @param response the response
	 * @param step the step, for the exception
	 * @return the object
	 * @throws HeadlessLoginException if the body is not a JSON object
	 */
	static JsonNode read(HttpResponse<String> response, Step step) {
		try {
			JsonNode json = MAPPER.readTree(response.body());
			if (json != null && json.isObject()) {
				return json;
			}
		}
		catch (JacksonException ex) {
			// reported below
		}
		throw new HeadlessLoginException(step, response.statusCode(), null, "the response is not a JSON object");
	}

	/**
	 * A string member.
	 * @param json the object
	 * @param field the member name
	 * @return its value, or {@code null} if absent or not a string
	 */
	static @Nullable String text(JsonNode json, String field) {
		JsonNode value = json.get(field);
		return (value != null && value.isString()) ? value.stringValue() : null;
	}

	static String write(Map<String, Object> value) {
		return MAPPER.writeValueAsString(value);
	}

}
