package dev.gatehouse.server.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import tools.jackson.databind.JsonNode;

/**
 * Calls the admin API of a test gateway.
 */
public final class AdminClient {

	private static final HttpClient HTTP = HttpClient.newHttpClient();

	private final String base;

	private final String bearer;

	public AdminClient(String base) {
		this(base, null);
	}

	private AdminClient(String base, String bearer) {
		this.base = base;
		this.bearer = bearer;
	}

	/** The same client, sending {@code Authorization: Bearer <token>}. */
	public AdminClient withBearer(String token) {
		return new AdminClient(base, token);
	}

	public Response get(String path) {
		return send(HttpRequest.newBuilder(URI.create(base + path)).GET());
	}

	public Response post(String path, String json) {
		return send(HttpRequest.newBuilder(URI.create(base + path))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(json)));
	}

	public Response put(String path, String json) {
		return send(HttpRequest.newBuilder(URI.create(base + path))
			.header("Content-Type", "application/json")
			.PUT(HttpRequest.BodyPublishers.ofString(json)));
	}

	public Response delete(String path) {
		return send(HttpRequest.newBuilder(URI.create(base + path)).DELETE());
	}

	/** Registers a target and waits until its first synchronisation ends; fails if either fails. */
	public JsonNode register(String json) {
		Response created = post("/admin/api/targets", json);
		if (created.status() != 201) {
			throw new AssertionError("registering failed: " + created);
		}
		String name = created.json().get("name").asString();
		Response synced = post("/admin/api/targets/" + name + "/sync", "");
		if (synced.status() != 200 || !"ok".equals(synced.json().path("sync").path("status").asString())) {
			throw new AssertionError("synchronising '" + name + "' failed: " + synced);
		}
		return synced.json();
	}

	private Response send(HttpRequest.Builder builder) {
		if (bearer != null) {
			builder.header("Authorization", "Bearer " + bearer);
		}
		try {
			HttpResponse<String> response = HTTP.send(builder.timeout(Duration.ofSeconds(60)).build(),
					HttpResponse.BodyHandlers.ofString());
			return new Response(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""),
					response.body(), response.headers().firstValue("ETag").orElse(null));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	public record Response(int status, String contentType, String body, String etag) {

		public JsonNode json() {
			return McpTestClient.JSON.readTree(body);
		}
	}
}
