package dev.gatehouse.core.oauth;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import dev.gatehouse.core.target.UrlRules;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * What the gateway uses of an authorization server's metadata (RFC 8414, or OpenID Connect Discovery), after
 * checking that its {@code issuer} is the one it was fetched for (RFC 8414 §3.3) and that every endpoint passes
 * the gateway's URL rules.
 *
 * @param issuer the issuer identifier
 * @param authorizationEndpoint where users are sent, or {@code null} (client-credentials-only servers)
 * @param tokenEndpoint where codes, refresh tokens and client credentials are exchanged
 * @param revocationEndpoint the RFC 7009 endpoint, or {@code null}
 * @param registrationEndpoint the RFC 7591 endpoint, or {@code null}
 * @param codeChallengeMethods {@code code_challenge_methods_supported}; empty when absent
 * @param tokenEndpointAuthMethods {@code token_endpoint_auth_methods_supported}; empty when absent
 * @param scopesSupported {@code scopes_supported}; empty when absent
 * @param issParameterSupported RFC 9207 {@code authorization_response_iss_parameter_supported}
 * @see <a href="https://datatracker.ietf.org/doc/html/rfc8414#section-3.3">RFC 8414 §3.3</a>
 */
public record AuthorizationServerMetadata(String issuer, @Nullable URI authorizationEndpoint, URI tokenEndpoint,
		@Nullable URI revocationEndpoint, @Nullable URI registrationEndpoint, List<String> codeChallengeMethods,
		List<String> tokenEndpointAuthMethods, List<String> scopesSupported, boolean issParameterSupported) {

	public AuthorizationServerMetadata {
		Objects.requireNonNull(issuer, "issuer must not be null");
		Objects.requireNonNull(tokenEndpoint, "tokenEndpoint must not be null");
		codeChallengeMethods = List.copyOf(codeChallengeMethods);
		tokenEndpointAuthMethods = List.copyOf(tokenEndpointAuthMethods);
		scopesSupported = List.copyOf(scopesSupported);
	}

	/**
	 * Reads a metadata document fetched for {@code expectedIssuer}.
	 * @throws InvalidMetadataException when the issuer differs, an endpoint is unacceptable or the token endpoint
	 * is missing
	 */
	public static AuthorizationServerMetadata parse(JsonNode json, String expectedIssuer, UrlRules urls) {
		MetadataReader reader = new MetadataReader(json, "the authorization server metadata of " + expectedIssuer,
				urls);
		String issuer = reader.requiredText("issuer");
		if (!issuer.equals(expectedIssuer)) {
			throw new InvalidMetadataException("the authorization server metadata fetched for " + expectedIssuer
					+ " names another issuer, '" + clip(issuer) + "' (RFC 8414 §3.3 requires them to be identical)");
		}
		return new AuthorizationServerMetadata(issuer, reader.url("authorization_endpoint"),
				reader.requiredUrl("token_endpoint"), reader.url("revocation_endpoint"),
				reader.url("registration_endpoint"), reader.strings("code_challenge_methods_supported"),
				reader.strings("token_endpoint_auth_methods_supported"), reader.strings("scopes_supported"),
				reader.bool("authorization_response_iss_parameter_supported"));
	}

	/**
	 * The URLs to try, in the order of MCP 2025-11-25 "Authorization Server Metadata Discovery": RFC 8414 with the
	 * path inserted, OpenID Connect with the path inserted, OpenID Connect with the path appended; for an issuer
	 * without a path, RFC 8414 then OpenID Connect.
	 */
	public static List<URI> discoveryUrls(String issuer) {
		URI uri = URI.create(issuer);
		String origin = uri.getScheme() + "://" + uri.getRawAuthority();
		String path = (uri.getRawPath() == null) ? "" : uri.getRawPath();
		if (path.endsWith("/")) {
			path = path.substring(0, path.length() - 1);
		}
		List<URI> urls = new ArrayList<>();
		if (path.isEmpty()) {
			urls.add(URI.create(origin + "/.well-known/oauth-authorization-server"));
			urls.add(URI.create(origin + "/.well-known/openid-configuration"));
		}
		else {
			urls.add(URI.create(origin + "/.well-known/oauth-authorization-server" + path));
			urls.add(URI.create(origin + "/.well-known/openid-configuration" + path));
			urls.add(URI.create(origin + path + "/.well-known/openid-configuration"));
		}
		return urls;
	}

	/**
	 * Whether the server advertises PKCE with {@code S256}. MCP requires a client to refuse a server that does not
	 * advertise it, even one that might support it silently.
	 */
	public boolean supportsPkceS256() {
		return codeChallengeMethods.contains(PkceChallenge.METHOD);
	}

	/** Whether a token endpoint authentication method may be used: listed, or the RFC 8414 default when absent. */
	public boolean supportsAuthMethod(String method) {
		return tokenEndpointAuthMethods.isEmpty() ? "client_secret_basic".equals(method)
				: tokenEndpointAuthMethods.contains(method);
	}

	private static String clip(String value) {
		String cut = (value.length() > 200) ? value.substring(0, 200) + "…" : value;
		return cut.replaceAll("\\p{Cntrl}", "?");
	}
}
