package dev.gatehouse.demo.idp;

import java.time.Duration;

import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.settings.ClientSettings;

/**
 * The clients configured on the {@link DemoIdentityProvider.Builder} as Spring
 * Authorization Server {@link RegisteredClient}s. Secrets are stored as {@code {noop}}:
 * they were given in clear anyway.
 */
final class PreRegisteredClients {

	private PreRegisteredClients() {
	}

	/**
	 * The gateway's OIDC client: {@code client_secret_basic}, code and refresh grants,
	 * every scope of the provider, PKCE allowed but not required, no consent screen.
	 */
	static RegisteredClient gateway(GatewayClient gateway, IdentityProviderSettings settings) {
		return RegisteredClient.withId("gateway-" + gateway.clientId())
			.clientId(gateway.clientId())
			.clientIdIssuedAt(settings.clock().instant())
			.clientSecret("{noop}" + gateway.secret())
			.clientName(gateway.clientId())
			.clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_BASIC)
			.authorizationGrantType(AuthorizationGrantType.AUTHORIZATION_CODE)
			.authorizationGrantType(AuthorizationGrantType.REFRESH_TOKEN)
			.redirectUris((uris) -> uris.addAll(gateway.redirectUris()))
			.scopes((scopes) -> scopes.addAll(settings.scopes()))
			.clientSettings(ClientPolicies.clientSettings(false))
			.tokenSettings(ClientPolicies.tokenSettings(settings.accessTokenTtl(), settings.refreshTokenTtl()))
			.build();
	}

	/**
	 * A {@link DemoClient}. A {@code private_key_jwt} client's settings name RS256 (Spring
	 * holds one algorithm per client); {@link ClientAssertionDecoders} accepts ES256 too.
	 */
	static RegisteredClient of(DemoClient client, IdentityProviderSettings settings) {
		Duration accessTokenTtl = (client.accessTokenTtl() != null) ? client.accessTokenTtl()
				: settings.accessTokenTtl();
		ClientSettings.Builder clientSettings = ClientSettings.builder()
			.requireProofKey(client.requireProofKey())
			.requireAuthorizationConsent(client.requireConsent());
		if (client.jwkSetUrl() != null) {
			clientSettings.jwkSetUrl(client.jwkSetUrl())
				.tokenEndpointAuthenticationSigningAlgorithm(SignatureAlgorithm.RS256);
		}
		RegisteredClient.Builder builder = RegisteredClient.withId("demo-client-" + client.clientId())
			.clientId(client.clientId())
			.clientIdIssuedAt(settings.clock().instant())
			.clientName(client.clientId())
			.clientAuthenticationMethods((methods) -> client.authenticationMethods()
				.forEach((method) -> methods.add(new ClientAuthenticationMethod(method))))
			.authorizationGrantTypes((grants) -> client.grantTypes()
				.forEach((grant) -> grants.add(new AuthorizationGrantType(grant))))
			.redirectUris((uris) -> uris.addAll(client.redirectUris()))
			.scopes((scopes) -> scopes.addAll(client.scopes().isEmpty() ? settings.scopes() : client.scopes()))
			.clientSettings(clientSettings.build())
			.tokenSettings(ClientPolicies.tokenSettings(accessTokenTtl, settings.refreshTokenTtl()));
		String secret = client.secret();
		if (secret != null) {
			builder.clientSecret("{noop}" + secret);
		}
		return builder.build();
	}

}
