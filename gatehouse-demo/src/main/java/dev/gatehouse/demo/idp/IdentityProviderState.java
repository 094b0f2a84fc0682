package dev.gatehouse.demo.idp;

import java.time.Clock;

import org.springframework.security.oauth2.server.authorization.InMemoryOAuth2AuthorizationConsentService;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationConsentService;

/**
 * What one {@link DemoIdentityProvider} keeps across {@link DemoIdentityProvider#restart()}
 * (as a real provider keeps it in its database): registered clients (dynamic ones
 * included), grants and their tokens, consents, and the observations tests read. Created
 * once per {@code start()}; the beans of each application context wrap these instances.
 *
 * @param clients the registered clients
 * @param authorizations the grants
 * @param consents the users' consents
 * @param tokenEndpoint the token endpoint records and its outage switch
 */
record IdentityProviderState(DemoRegisteredClientRepository clients, DemoAuthorizationService authorizations,
		OAuth2AuthorizationConsentService consents, TokenEndpointObserver tokenEndpoint) {

	static IdentityProviderState create(Clock clock) {
		return new IdentityProviderState(new DemoRegisteredClientRepository(), new DemoAuthorizationService(clock),
				new InMemoryOAuth2AuthorizationConsentService(), new TokenEndpointObserver());
	}

}
