package dev.gatehouse.server.credentials;

import java.net.URI;
import java.util.List;
import java.util.Objects;

import dev.gatehouse.core.target.TargetAuth;
import org.jspecify.annotations.Nullable;

/**
 * Everything the broker needs to know about a target's authorization server, from the target's definition and,
 * for what it leaves out, from discovery (RFC 9728, then RFC 8414 / OpenID Connect).
 *
 * @param target the target's name
 * @param issuer the authorization server's issuer, or {@code null} when only its endpoints are known
 * @param authorizationEndpoint where users are sent, or {@code null} for client-credentials targets
 * @param tokenEndpoint where tokens are obtained
 * @param revocationEndpoint the RFC 7009 endpoint, or {@code null}
 * @param registrationEndpoint the RFC 7591 endpoint, or {@code null}
 * @param resource the RFC 8707 resource indicator sent in every authorization and token request
 * @param scopes the target's scopes, before they are narrowed to a user's roles
 * @param issParameterRequired the server advertises RFC 9207, so its authorization responses must carry {@code iss}
 * @param authMethodsSupported the token endpoint authentication methods the server lists (empty: unknown)
 * @param grantType the grant the gateway uses
 */
record TargetAuthorization(String target, @Nullable String issuer, @Nullable URI authorizationEndpoint,
		URI tokenEndpoint, @Nullable URI revocationEndpoint, @Nullable URI registrationEndpoint, URI resource,
		List<String> scopes, boolean issParameterRequired, List<String> authMethodsSupported,
		TargetAuth.GrantType grantType) {

	TargetAuthorization {
		Objects.requireNonNull(target, "target must not be null");
		Objects.requireNonNull(tokenEndpoint, "tokenEndpoint must not be null");
		Objects.requireNonNull(resource, "resource must not be null");
		scopes = List.copyOf(scopes);
		authMethodsSupported = List.copyOf(authMethodsSupported);
	}

	/** What grants are stored under: the issuer when known, else the token endpoint. */
	String authorizationServer() {
		return (issuer != null) ? issuer : tokenEndpoint.toString();
	}
}
