package dev.gatehouse.server.access;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import jakarta.servlet.http.HttpServletResponse;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Writes RFC 9457 problem details from filters, where no controller advice runs.
 */
final class Problems {

	static final String BASE = "https://gatehouse.dev/problems/";

	private Problems() {
	}

	static void write(HttpServletResponse response, int status, String type, String title, String detail)
			throws IOException {
		ObjectNode body = JsonNodeFactory.instance.objectNode();
		body.put("type", BASE + type);
		body.put("title", title);
		body.put("status", status);
		body.put("detail", detail);
		byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
		response.setStatus(status);
		response.setContentType("application/problem+json");
		response.setContentLength(bytes.length);
		response.getOutputStream().write(bytes);
	}
}
