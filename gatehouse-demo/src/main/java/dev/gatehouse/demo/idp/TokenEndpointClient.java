package dev.gatehouse.demo.idp;

import java.net.URI;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

import dev.gatehouse.demo.idp.HeadlessLogin.Tokens;
import dev.gatehouse.demo.idp.HeadlessLoginException.Step;

/**
 * The API side of {@link HeadlessLogin}: metadata discovery (once, then cached), RFC 7591
 * registration and token requests. Thread-safe.
 */
final class TokenEndpointClient {

	private final String issuer;

	private final HttpExchanges http;

	private volatile @Nullable AuthorizationServerEndpoints endpoints;

	TokenEndpointClient(String issuer, HttpExchanges http) {
		this.issuer = issuer;
		this.http = http;
	}

	AuthorizationServerEndpoints endpoints() {
		AuthorizationServerEndpoints current = this.endpoints;
		if (current == null) {
			current = AuthorizationServerEndpoints.discover(this.issuer, this.http);
			this.endpoints = current;
		}
		return current;
	}

	/**
	 * Registers a public client for the code and refresh token grants.
	 * @param redirectUri its redirect URI
	 * @return the {@code client_id}
	 */
	String register(String redirectUri) {
		URI endpoint = endpoints().registration();
		if (endpoint == null) {
			throw new HeadlessLoginException(Step.REGISTRATION, 0, null, "the metadata has no registration_endpoint");
		}
		Map<String, Object> request = new LinkedHashMap<>();
		request.put("client_name", "gatehouse-headless-login");
		request.put("redirect_uris", List.of(redirectUri));
		request.put("grant_types", List.of("authorization_code", "refresh_token"));
		request.put("response_types", List.of("code"));
		request.put("token_endpoint_auth_method", "none");
		HttpResponse<String> response = this.http.postJson(endpoint, Json.write(request), Step.REGISTRATION);
		JsonNode body = Json.read(response, Step.REGISTRATION);
		String clientId = Json.text(body, "client_id");
		if (response.statusCode() != 201 || clientId == null) {
			throw failure(Step.REGISTRATION, response, body);
		}
		return clientId;
	}

	/**
	 * Sends a token request.
	 * @param fields the form fields, without client authentication
	 * @param clientId the client
	 * @param clientSecret its secret for {@code client_secret_basic}, or {@code null} for a
	 * public client (then {@code client_id} goes in the form)
	 * @param step {@link Step#TOKEN} or {@link Step#REFRESH}
	 * @return the tokens
	 */
	Tokens tokenRequest(Map<String, List<String>> fields, String clientId, @Nullable String clientSecret, Step step) {
		Map<String, List<String>> form = new LinkedHashMap<>(fields);
		String authorization = null;
		if (clientSecret != null) {
			authorization = HttpExchanges.basic(clientId, clientSecret);
		}
		else {
			form.put("client_id", List.of(clientId));
		}
		HttpResponse<String> response = this.http.postForm(endpoints().token(), form, authorization, step);
		JsonNode body = Json.read(response, step);
		String accessToken = Json.text(body, "access_token");
		if (response.statusCode() != 200 || accessToken == null) {
			throw failure(step, response, body);
		}
		JsonNode expiresIn = body.get("expires_in");
		return new Tokens(accessToken, Json.text(body, "refresh_token"), Json.text(body, "id_token"),
				(expiresIn != null && expiresIn.isNumber()) ? expiresIn.longValue() : 0, Json.text(body, "scope"));
	}

	private static HeadlessLoginException failure(Step step, HttpResponse<String> response, JsonNode body) {
		String description = Json.text(body, "error_description");
		return new HeadlessLoginException(step, response.statusCode(), Json.text(body, "error"),
				"POST " + HttpExchanges.withoutQuery(response.uri()) + " was refused"
						+ ((description != null) ? " (" + description + ")" : ""));
	}

}
