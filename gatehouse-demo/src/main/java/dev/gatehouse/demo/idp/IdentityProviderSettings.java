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
 * @param accessTokenTtl the default lifetime of access tokens
 * @param refreshTokenTtl the lifetime of refresh tokens
 * @param gatewayClient the gateway's confidential OIDC client, if any
 * @param clients the other pre-registered clients
 * @param scopes every scope a client may request (the standard ones, the extra ones and
 * those the pre-registered clients name)
 * @param users the users who can log in
 * @param clock the provider clock: token times, code and refresh token expiry,
 * {@code client_id_issued_at}
 * @param authorizationResponseIss whether authorization responses carry RFC 9207
 * {@code iss}
 * @param state the clients, grants and observations, kept across restarts
 */
record IdentityProviderSettings(String issuer, int port, RSAKey signingKey, Duration accessTokenTtl,
		Duration refreshTokenTtl, @Nullable GatewayClient gatewayClient, List<DemoClient> clients, List<String> scopes,
		List<DemoUser> users, Clock clock, boolean authorizationResponseIss, IdentityProviderState state) {

	/**
	 * Without the signing key (its JSON form holds the private key) and without secrets.
	 */
	@Override
	public String toString() {
		return "IdentityProviderSettings[issuer=" + this.issuer + ", port=" + this.port + ", signingKey="
				+ this.signingKey.getKeyID() + ", accessTokenTtl=" + this.accessTokenTtl + ", refreshTokenTtl="
				+ this.refreshTokenTtl + ", gatewayClient=" + this.gatewayClient + ", clients=" + this.clients
				+ ", scopes=" + this.scopes + ", authorizationResponseIss=" + this.authorizationResponseIss + "]";
	}

	@Nullable DemoUser user(String username) {
		for (DemoUser user : this.users) {
			if (user.username().equals(username)) {
				return user;
			}
		}
		return null;
	}

}
