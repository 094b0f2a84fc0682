package dev.gatehouse.demo.idp;

import java.time.Clock;
import java.time.Duration;
import java.util.List;

import com.nimbusds.jose.jwk.RSAKey;
import org.jspecify.annotations.Nullable;

/**
 * Everything one {@link DemoIdentityProvider} instance is configured with, fixed before
 * its Spring context starts and registered in it as a bean (the context reads no
 * configuration files and no system properties).
 *
 * @param issuer the issuer identifier, an origin without path ({@code http://127.0.0.1:9000})
 * @param port the TCP port on {@code 127.0.0.1}, never 0 here
 * @param signingKey the RSA key pair that signs every token
 * @param accessTokenTtl the lifetime of access tokens
 * @param gatewayClient the gateway's confidential OIDC client, if any
 * @param scopes every scope a client may request (the standard ones plus the extra ones)
 * @param users the users who can log in
 * @param clock the clock of this package's own time stamps ({@code client_id_issued_at})
 */
record IdentityProviderSettings(String issuer, int port, RSAKey signingKey, Duration accessTokenTtl,
		@Nullable GatewayClient gatewayClient, List<String> scopes, List<DemoUser> users, Clock clock) {

	@Nullable DemoUser user(String username) {
		for (DemoUser user : this.users) {
			if (user.username().equals(username)) {
				return user;
			}
		}
		return null;
	}

}
