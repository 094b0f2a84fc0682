package dev.gatehouse.core.target;

import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

import dev.gatehouse.core.secret.SecretRef;
import org.jspecify.annotations.Nullable;

/**
 * How the gateway authenticates to a target ({@code auth.type}).
 */
public sealed interface TargetAuth permits TargetAuth.None, TargetAuth.ApiKey, TargetAuth.OAuth2 {

	/** The {@code auth.type} value. */
	String type();

	/** {@code "none"}: the target needs no credential. */
	record None() implements TargetAuth {

		@Override
		public String type() {
			return "none";
		}
	}

	/**
	 * {@code "apiKey"}: a static key sent in a header on every request.
	 *
	 * @param header the header name; {@code Authorization} sends {@code Bearer <key>}
	 * @param key where the key lives
	 */
	record ApiKey(String header, SecretRef key) implements TargetAuth {

		public static final String DEFAULT_HEADER = "Authorization";

		public ApiKey {
			Objects.requireNonNull(header, "header must not be null");
			Objects.requireNonNull(key, "key must not be null");
		}

		@Override
		public String type() {
			return "apiKey";
		}

		public boolean isAuthorizationHeader() {
			return "authorization".equals(header.toLowerCase(Locale.ROOT));
		}
	}

	/**
	 * {@code "oauth2"}: the gateway is a confidential OAuth 2.0 client of the target's authorization server.
	 *
	 * @param authorizationUrl the authorization endpoint, or {@code null} to discover it
	 * @param tokenUrl the token endpoint, or {@code null} to discover it
	 * @param scopes the scopes to request
	 * @param clientId the gateway's client id at that server, or {@code null} to register dynamically
	 * @param clientSecret where the client secret lives, or {@code null}
	 * @param tokenEndpointAuthMethod how the gateway authenticates at the token endpoint
	 * @param resource the RFC 8707 resource indicator, or {@code null} for the endpoint
	 * @param revocationUrl the RFC 7009 revocation endpoint, or {@code null}
	 * @param grantType {@code authorization_code} (per user) or {@code client_credentials} (machine to machine)
	 */
	record OAuth2(@Nullable URI authorizationUrl, @Nullable URI tokenUrl, List<String> scopes,
			@Nullable String clientId, @Nullable SecretRef clientSecret,
			@Nullable TokenEndpointAuthMethod tokenEndpointAuthMethod, @Nullable URI resource,
			@Nullable URI revocationUrl, GrantType grantType) implements TargetAuth {

		public OAuth2 {
			scopes = List.copyOf(scopes);
			Objects.requireNonNull(grantType, "grantType must not be null");
		}

		@Override
		public String type() {
			return "oauth2";
		}
	}

	/** RFC 6749 / RFC 7523 client authentication methods at the token endpoint. */
	enum TokenEndpointAuthMethod {

		CLIENT_SECRET_BASIC("client_secret_basic"), CLIENT_SECRET_POST("client_secret_post"),
		PRIVATE_KEY_JWT("private_key_jwt"), NONE("none");

		private final String value;

		TokenEndpointAuthMethod(String value) {
			this.value = value;
		}

		public String value() {
			return value;
		}

		public static Optional<TokenEndpointAuthMethod> find(String value) {
			for (TokenEndpointAuthMethod m : values()) {
				if (m.value.equals(value)) {
					return Optional.of(m);
				}
			}
			return Optional.empty();
		}

	}

	/** The OAuth 2.0 grant the gateway uses for a target. */
	enum GrantType {

		AUTHORIZATION_CODE("authorization_code"), CLIENT_CREDENTIALS("client_credentials");

		private final String value;

		GrantType(String value) {
			this.value = value;
		}

		public String value() {
			return value;
		}

		public static Optional<GrantType> find(String value) {
			for (GrantType g : values()) {
				if (g.value.equals(value)) {
					return Optional.of(g);
				}
			}
			return Optional.empty();
		}

	}

}
