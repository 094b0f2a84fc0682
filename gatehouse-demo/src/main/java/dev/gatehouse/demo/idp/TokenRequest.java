package dev.gatehouse.demo.idp;

import java.util.List;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * One request that reached a {@link DemoIdentityProvider}'s token endpoint, as
 * {@link DemoIdentityProvider#tokenRequests()} records it for tests. It holds no
 * credential: never a code, a PKCE verifier, a secret, a client assertion or a token.
 *
 * @param grantType the {@code grant_type} parameter, empty if absent
 * @param clientId the authenticated client's id, else the one the request presented
 * (HTTP Basic user, {@code client_id} parameter or the assertion's {@code sub}), else
 * {@code null}
 * @param clientAuthenticationMethod how the client authenticated or tried to:
 * {@code client_secret_basic}, {@code client_secret_post}, {@code private_key_jwt},
 * {@code none}, or {@code unauthenticated} when the request carried no client
 * identification at all
 * @param resources the RFC 8707 {@code resource} values, in request order
 * @param scope the {@code scope} parameter, if sent
 * @param status the HTTP status the provider answered
 * @param error the OAuth error code of an error response ({@code invalid_grant},
 * {@code invalid_client}, {@code temporarily_unavailable}, ...), {@code null} on success
 * or when the error response had no body
 * @see <a href="https://datatracker.ietf.org/doc/html/rfc6749#section-5.2">RFC 6749
 * section 5.2 (error codes)</a>
 */
public record TokenRequest(String grantType, @Nullable String clientId, String clientAuthenticationMethod,
		List<String> resources, @Nullable String scope, int status, @Nullable String error) {

	/** The method recorded when the request identified no client. */
	public static final String UNAUTHENTICATED = "unauthenticated";

	/**
	 * Checks and copies the components.
	 * @param grantType not null
	 * @param clientId may be null
	 * @param clientAuthenticationMethod not null
	 * @param resources not null; copied
	 * @param scope may be null
	 * @param status the HTTP status
	 * @param error may be null
	 */
	public TokenRequest {
		Objects.requireNonNull(grantType, "grantType must not be null");
		Objects.requireNonNull(clientAuthenticationMethod, "clientAuthenticationMethod must not be null");
		resources = List.copyOf(Objects.requireNonNull(resources, "resources must not be null"));
	}

	/**
	 * Whether the provider answered with tokens.
	 * @return {@code true} for status 200
	 */
	public boolean succeeded() {
		return this.status == 200;
	}

}
