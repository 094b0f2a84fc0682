package dev.gatehouse.core.oauth;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import dev.gatehouse.core.secret.Secret;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * Reads token endpoint responses (RFC 6749 §5.1 and §5.2) strictly: a success must carry a non-empty
 * {@code access_token} of type {@code Bearer}; a missing {@code expires_in} is replaced by a configured default
 * lifetime instead of Spring's one second (which would refresh on every call); a missing {@code scope} means the
 * requested scopes.
 *
 * @see <a href="https://datatracker.ietf.org/doc/html/rfc6749#section-5.1">RFC 6749 §5.1</a>
 */
public final class TokenResponses {

	/** The longest lifetime believed; a larger {@code expires_in} is cut to this. */
	static final Duration MAX_LIFETIME = Duration.ofDays(366);

	private TokenResponses() {
	}

	/**
	 * @param json the response body of a 200
	 * @param now when it was received
	 * @param defaultLifetime the lifetime assumed when {@code expires_in} is missing
	 * @param requestedScopes the scopes asked for
	 * @throws InvalidTokenResponseException naming what is wrong (never a token value)
	 */
	public static TokenSet success(JsonNode json, Instant now, Duration defaultLifetime,
			List<String> requestedScopes) {
		if (!json.isObject()) {
			throw new InvalidTokenResponseException("the token response is not a JSON object");
		}
		String accessToken = text(json, "access_token");
		if (accessToken == null || accessToken.isEmpty()) {
			throw new InvalidTokenResponseException("the token response has no access_token");
		}
		String type = text(json, "token_type");
		if (type == null || !type.toLowerCase(Locale.ROOT).equals("bearer")) {
			throw new InvalidTokenResponseException("the token response's token_type is "
					+ ((type == null) ? "missing" : "'" + clip(type) + "'") + "; the gateway uses Bearer tokens only");
		}
		Duration lifetime = lifetime(json.get("expires_in"));
		String refresh = text(json, "refresh_token");
		return new TokenSet(Secret.of(accessToken), "Bearer",
				now.plus((lifetime != null) ? lifetime : defaultLifetime), lifetime == null,
				(refresh != null && !refresh.isEmpty()) ? Secret.of(refresh) : null, scopes(json, requestedScopes),
				now);
	}

	/** The error of a 400 or 401 token response, or {@code null} when the body is not an OAuth error. */
	public static @Nullable OAuthError error(@Nullable JsonNode json) {
		if (json == null || !json.isObject()) {
			return null;
		}
		String code = text(json, "error");
		return (code == null || code.isBlank()) ? null : new OAuthError(code, text(json, "error_description"));
	}

	private static @Nullable Duration lifetime(@Nullable JsonNode node) {
		if (node == null || node.isNull()) {
			return null;
		}
		long seconds;
		if (node.isIntegralNumber() && node.canConvertToLong()) {
			seconds = node.longValue();
		}
		else if (node.isString() && node.stringValue().matches("\\d{1,12}")) {
			seconds = Long.parseLong(node.stringValue());
		}
		else {
			throw new InvalidTokenResponseException("the token response's expires_in is not a number of seconds");
		}
		if (seconds <= 0) {
			throw new InvalidTokenResponseException("the token response's expires_in is " + seconds
					+ ": the token is already expired");
		}
		Duration lifetime = Duration.ofSeconds(seconds);
		return (lifetime.compareTo(MAX_LIFETIME) > 0) ? MAX_LIFETIME : lifetime;
	}

	private static List<String> scopes(JsonNode json, List<String> requested) {
		String scope = text(json, "scope");
		if (scope == null) {
			return requested;
		}
		List<String> scopes = new ArrayList<>();
		for (String s : scope.trim().split(" +")) {
			if (!s.isEmpty() && !scopes.contains(s)) {
				scopes.add(s);
			}
		}
		return scopes;
	}

	private static @Nullable String text(JsonNode json, String name) {
		JsonNode node = json.get(name);
		return (node != null && node.isString()) ? node.stringValue() : null;
	}

	private static String clip(String value) {
		String cut = (value.length() > 32) ? value.substring(0, 32) + "…" : value;
		return cut.replaceAll("\\p{Cntrl}", "?");
	}

	/** A token response that cannot be used. The message never contains a token. */
	public static final class InvalidTokenResponseException extends RuntimeException {

		public InvalidTokenResponseException(String message) {
			super(message, null, false, false);
		}
	}
}
