package dev.gatehouse.demo.idp;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.text.ParseException;
import java.time.Duration;
import java.util.List;

import com.nimbusds.jose.jwk.JWKSet;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Starting, running side by side, and the builder's checks.
 */
class DemoIdentityProviderTests {

	@Test
	void startWhenTwoProvidersThenEachHasItsOwnIssuerKeysAndClients() throws ParseException {
		try (DemoIdentityProvider first = DemoIdentityProvider.builder().start();
				DemoIdentityProvider second = DemoIdentityProvider.builder().start()) {
			assertThat(first.issuer()).isNotEqualTo(second.issuer());
			String firstKid = JWKSet.parse(IdpHttp.get(first.issuer() + "/oauth2/jwks").body()).getKeys().get(0)
				.getKeyID();
			String secondKid = JWKSet.parse(IdpHttp.get(second.issuer() + "/oauth2/jwks").body()).getKeys().get(0)
				.getKeyID();
			assertThat(firstKid).isNotBlank().isNotEqualTo(secondKid);
			String clientId = HeadlessLogin.builder(first.issuer()).build().register("http://127.0.0.1/cb");
			assertThat(first.registeredClients().findByClientId(clientId)).isNotNull();
			assertThat(second.registeredClients().findByClientId(clientId)).isNull();
		}
	}

	@Test
	void startWhenIssuerUsesLocalhostThenTokensNameItAndLoginWorksThroughIt() throws Exception {
		int port = freePort();
		try (DemoIdentityProvider idp = DemoIdentityProvider.builder()
			.port(port)
			.issuer("http://localhost:" + port + "/")
			.start()) {
			assertThat(idp.issuer()).isEqualTo("http://localhost:" + port);
			assertThat(idp.port()).isEqualTo(port);

			HeadlessLogin.Tokens tokens = HeadlessLogin.builder(idp.issuer()).build().login("bob", "password");

			assertThat(IdpHttp.verified(idp, tokens.accessToken()).getJWTClaimsSet().getIssuer())
				.isEqualTo("http://localhost:" + port);
		}
	}

	@Test
	void startWhenPortTakenThenIllegalStateNamingIt() throws IOException {
		try (ServerSocket blocker = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
			DemoIdentityProvider.Builder builder = DemoIdentityProvider.builder().port(blocker.getLocalPort());

			assertThatThrownBy(builder::start).isInstanceOf(IllegalStateException.class)
				.hasMessage("Could not start the demo identity provider on 127.0.0.1:" + blocker.getLocalPort()
						+ ": port in use");
		}
	}

	@Test
	void restartWhenGrantsAndClientsExistThenSamePortIssuerKeysAndGrantsAndObservations() throws ParseException {
		DemoIdentityProvider idp = DemoIdentityProvider.builder()
			.client(DemoClient.builder("restart-client").secret("s").redirectUris("http://127.0.0.1/cb").build())
			.start();
		DemoIdentityProvider restarted = null;
		try {
			HeadlessLogin dynamic = HeadlessLogin.builder(idp.issuer()).build();
			HeadlessLogin.Tokens tokens = dynamic.login("alice", "password");
			long requests = idp.tokenRequests().size();

			restarted = idp.restart();

			assertThat(restarted.issuer()).isEqualTo(idp.issuer());
			assertThat(restarted.port()).isEqualTo(idp.port());
			assertThat(IdpHttp.verified(restarted, tokens.accessToken()).getJWTClaimsSet().getSubject())
				.isEqualTo("alice");
			assertThat(dynamic.refresh(tokens.refreshToken(), null).accessToken()).isNotBlank();
			assertThat(restarted.tokenRequests()).hasSize((int) requests + 1);
			assertThat(HeadlessLogin.builder(restarted.issuer())
				.clientId("restart-client")
				.clientSecret("s")
				.redirectUri("http://127.0.0.1/cb")
				.build()
				.login("bob", "password")
				.accessToken()).isNotBlank();
		}
		finally {
			idp.close();
			if (restarted != null) {
				restarted.close();
			}
		}
	}

	@Test
	void closeWhenCalledTwiceThenStopsOnce() {
		DemoIdentityProvider idp = DemoIdentityProvider.builder().start();

		idp.close();
		idp.close();

		assertThatThrownBy(() -> IdpHttp.get(idp.issuer() + "/oauth2/jwks")).isInstanceOf(Exception.class);
	}

	@Test
	void issuerWhenPlainHttpOnAnotherHostThenRefused() {
		assertThatThrownBy(() -> DemoIdentityProvider.builder().issuer("http://idp.example"))
			.isInstanceOf(IllegalArgumentException.class)
			.hasMessageContaining("'http://idp.example'");
	}

	@Test
	void issuerWhenPathQueryOrFragmentThenRefused() {
		for (String issuer : List.of("https://idp.example/realm", "https://idp.example?x=1", "https://idp.example#f",
				"not a url")) {
			assertThatThrownBy(() -> DemoIdentityProvider.builder().issuer(issuer))
				.isInstanceOf(IllegalArgumentException.class);
		}
	}

	@Test
	void issuerWhenHttpsOrLoopbackHttpThenAccepted() {
		DemoIdentityProvider.builder().issuer("https://idp.example").issuer("http://127.0.0.1:9000");
	}

	@Test
	void signingKeyWhenPublicOnlyThenRefused() {
		assertThatThrownBy(
				() -> DemoIdentityProvider.builder().signingKey(IdpHttp.testKey("k").toPublicJWK()))
			.isInstanceOf(IllegalArgumentException.class)
			.hasMessage("signingKey must contain the private key");
	}

	@Test
	void accessTokenTtlWhenNotPositiveThenRefused() {
		assertThatThrownBy(() -> DemoIdentityProvider.builder().accessTokenTtl(Duration.ZERO))
			.isInstanceOf(IllegalArgumentException.class);
	}

	@Test
	void portWhenOutOfRangeThenRefused() {
		assertThatThrownBy(() -> DemoIdentityProvider.builder().port(65536))
			.isInstanceOf(IllegalArgumentException.class);
	}

	@Test
	void gatewayClientWhenRedirectUriRelativeThenRefused() {
		assertThatThrownBy(() -> DemoIdentityProvider.builder().gatewayClient("web", "s", List.of("/callback")))
			.isInstanceOf(IllegalArgumentException.class)
			.hasMessageContaining("'/callback'");
	}

	@Test
	void gatewayClientWhenSecretEmptyThenRefused() {
		assertThatThrownBy(() -> DemoIdentityProvider.builder().gatewayClient("web", "", List.of("http://x/cb")))
			.isInstanceOf(IllegalArgumentException.class)
			.hasMessage("secret must not be empty");
	}

	@Test
	void scopesWhenContainingSpaceThenRefused() {
		assertThatThrownBy(() -> DemoIdentityProvider.builder().scopes("a b"))
			.isInstanceOf(IllegalArgumentException.class);
	}

	@Test
	void usersWhenListedThenDemoRolesAndGroups() {
		assertThat(DemoIdentityProvider.USERS).extracting(DemoUser::username)
			.containsExactly("alice", "bob", "carol", "dave");
		assertThat(DemoIdentityProvider.USERS).allSatisfy((user) -> assertThat(user.password()).isEqualTo("password"));
		assertThat(DemoIdentityProvider.USERS.get(0).roles()).containsExactly("risk-analyst");
		assertThat(DemoIdentityProvider.USERS.get(2).groups()).containsExactly("it-admins");
		assertThat(DemoIdentityProvider.USERS.get(3).roles()).isEmpty();
		assertThat(DemoIdentityProvider.USERS.get(0).toString()).doesNotContain("password");
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
			return socket.getLocalPort();
		}
	}

}
