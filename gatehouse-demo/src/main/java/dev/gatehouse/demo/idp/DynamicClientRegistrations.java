package dev.gatehouse.demo.idp;

import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

import org.springframework.core.convert.converter.Converter;
import org.springframework.security.crypto.keygen.Base64StringKeyGenerator;
import org.springframework.security.crypto.keygen.StringKeyGenerator;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.server.authorization.OAuth2ClientRegistration;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientRegistrationAuthenticationContext;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientRegistrationAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.converter.RegisteredClientOAuth2ClientRegistrationConverter;

/**
 * The policy of open (anonymous) RFC 7591 registration, plugged into Spring Authorization
 * Server's {@code OAuth2ClientRegistrationAuthenticationProvider} with
 * {@code openRegistrationAllowed(true)}: which requests are accepted, what client is
 * saved, and what the response says.
 *
 * <p>
 * Accepted: {@code token_endpoint_auth_method} {@code none} (public client, the MCP
 * norm), {@code client_secret_basic} (the RFC 7591 default) or
 * {@code client_secret_post}; {@code grant_types} within {@code authorization_code} and
 * {@code refresh_token} (default {@code authorization_code}, as RFC 7591 says);
 * {@code response_types} {@code code}; at least one redirect URI, each {@code https} or
 * {@code http} on a loopback host; {@code scope} values that are syntactically valid
 * (they are added to the standard scopes every client gets). Anything else fails with
 * {@code invalid_redirect_uri} or {@code invalid_client_metadata}.
 *
 * <p>
 * Saved clients require PKCE (S256), do not ask for consent, and get the provider's access
 * token lifetime and rotating refresh tokens. Spring's own defaults differ on purpose:
 * they reject any {@code scope} in the request and require consent.
 *
 * @see <a href="https://datatracker.ietf.org/doc/html/rfc7591#section-2">RFC 7591 section
 * 2</a>
 * @see <a href="https://datatracker.ietf.org/doc/html/rfc7591#section-3.2.2">RFC 7591
 * section 3.2.2 (errors)</a>
 */
final class DynamicClientRegistrations {

	static final String INVALID_REDIRECT_URI = "invalid_redirect_uri";

	static final String INVALID_CLIENT_METADATA = "invalid_client_metadata";

	private static final String ERROR_URI = "https://datatracker.ietf.org/doc/html/rfc7591#section-3.2.2";

	private static final Set<String> AUTH_METHODS = Set.of(ClientAuthenticationMethod.NONE.getValue(),
			ClientAuthenticationMethod.CLIENT_SECRET_BASIC.getValue(),
			ClientAuthenticationMethod.CLIENT_SECRET_POST.getValue());

	private static final Set<String> GRANT_TYPES = Set.of(AuthorizationGrantType.AUTHORIZATION_CODE.getValue(),
			AuthorizationGrantType.REFRESH_TOKEN.getValue());

	/** RFC 6749 section 3.3 {@code scope-token}. */
	private static final Pattern SCOPE_TOKEN = Pattern.compile("[\\x21\\x23-\\x5B\\x5D-\\x7E]+");

	private static final StringKeyGenerator CLIENT_IDS = new Base64StringKeyGenerator(
			Base64.getUrlEncoder().withoutPadding(), 24);

	private static final StringKeyGenerator CLIENT_SECRETS = new Base64StringKeyGenerator(
			Base64.getUrlEncoder().withoutPadding(), 32);

	private final IdentityProviderSettings settings;

	DynamicClientRegistrations(IdentityProviderSettings settings) {
		this.settings = settings;
	}

	/**
	 * Validates a registration request (replaces Spring's default validator).
	 * @param context the request
	 * @throws OAuth2AuthenticationException with an RFC 7591 error code
	 */
	void validate(OAuth2ClientRegistrationAuthenticationContext context) {
		OAuth2ClientRegistrationAuthenticationToken authentication = context.getAuthentication();
		OAuth2ClientRegistration request = authentication.getClientRegistration();
		String authMethod = request.getTokenEndpointAuthenticationMethod();
		if (authMethod != null && !AUTH_METHODS.contains(authMethod)) {
			throw error(INVALID_CLIENT_METADATA, "token_endpoint_auth_method must be one of " + AUTH_METHODS);
		}
		List<String> grantTypes = request.getGrantTypes();
		if (grantTypes != null && !GRANT_TYPES.containsAll(grantTypes)) {
			throw error(INVALID_CLIENT_METADATA, "grant_types must be within " + GRANT_TYPES);
		}
		List<String> responseTypes = request.getResponseTypes();
		if (responseTypes != null && !List.of("code").containsAll(responseTypes)) {
			throw error(INVALID_CLIENT_METADATA, "response_types must be [code]");
		}
		validateRedirectUris(request.getRedirectUris());
		List<String> scopes = request.getScopes();
		if (scopes != null && !scopes.stream().allMatch((scope) -> SCOPE_TOKEN.matcher(scope).matches())) {
			throw error(INVALID_CLIENT_METADATA, "scope must be space-separated RFC 6749 scope tokens");
		}
	}

	private static void validateRedirectUris(List<String> redirectUris) {
		if (redirectUris == null || redirectUris.isEmpty()) {
			throw error(INVALID_REDIRECT_URI, "redirect_uris is required for the authorization_code grant");
		}
		for (String uri : redirectUris) {
			if (!RedirectUris.isAllowedForDynamicClient(uri)) {
				throw error(INVALID_REDIRECT_URI, "redirect_uri '" + uri
						+ "' must be https, or http on a loopback host (127.0.0.1, localhost, [::1]), without fragment");
			}
		}
	}

	/**
	 * Turns a validated request into the client to save (replaces Spring's converter).
	 * @param request the registration request
	 * @return the client, its secret (if any) still in clear: Spring encodes it before
	 * saving and returns the clear one to the client
	 */
	RegisteredClient toRegisteredClient(OAuth2ClientRegistration request) {
		String authMethod = (request.getTokenEndpointAuthenticationMethod() != null)
				? request.getTokenEndpointAuthenticationMethod()
				: ClientAuthenticationMethod.CLIENT_SECRET_BASIC.getValue();
		Set<String> scopes = new LinkedHashSet<>(this.settings.scopes());
		if (request.getScopes() != null) {
			scopes.addAll(request.getScopes());
		}
		List<String> grantTypes = (request.getGrantTypes() != null) ? request.getGrantTypes()
				: List.of(AuthorizationGrantType.AUTHORIZATION_CODE.getValue());
		String clientId = CLIENT_IDS.generateKey();
		RegisteredClient.Builder builder = RegisteredClient.withId(UUID.randomUUID().toString())
			.clientId(clientId)
			.clientIdIssuedAt(this.settings.clock().instant())
			.clientName((request.getClientName() != null) ? request.getClientName() : clientId)
			.clientAuthenticationMethod(new ClientAuthenticationMethod(authMethod))
			.redirectUris((uris) -> uris.addAll(request.getRedirectUris()))
			.authorizationGrantTypes((types) -> grantTypes.forEach((type) -> types.add(new AuthorizationGrantType(type))))
			.scopes((values) -> values.addAll(scopes))
			.clientSettings(ClientPolicies.clientSettings(true))
			.tokenSettings(ClientPolicies.tokenSettings(this.settings.accessTokenTtl(), this.settings.refreshTokenTtl()));
		if (!ClientAuthenticationMethod.NONE.getValue().equals(authMethod)) {
			builder.clientSecret(CLIENT_SECRETS.generateKey());
		}
		return builder.build();
	}

	/**
	 * The registration response: Spring's, plus {@code client_secret_expires_at: 0}
	 * ("never") when a secret is issued, which RFC 7591 section 3.2.1 requires and Spring
	 * leaves out.
	 * @return the converter
	 */
	static Converter<RegisteredClient, OAuth2ClientRegistration> responseConverter() {
		RegisteredClientOAuth2ClientRegistrationConverter delegate = new RegisteredClientOAuth2ClientRegistrationConverter();
		return (client) -> {
			OAuth2ClientRegistration registration = delegate.convert(client);
			if (registration.getClientSecret() == null || registration.getClientSecretExpiresAt() != null) {
				return registration;
			}
			return OAuth2ClientRegistration.withClaims(registration.getClaims())
				.clientSecretExpiresAt(Instant.EPOCH)
				.build();
		};
	}

	private static OAuth2AuthenticationException error(String code, String description) {
		return new OAuth2AuthenticationException(new OAuth2Error(code, description, ERROR_URI));
	}

}
