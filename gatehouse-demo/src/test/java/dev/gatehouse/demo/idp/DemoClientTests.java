package dev.gatehouse.demo.idp;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The {@link DemoClient} builder: defaults, and every combination it refuses.
 */
class DemoClientTests {

	@Test
	void buildWhenSecretThenClientSecretBasicCodeAndRefreshWithPkceAndNoConsent() {
		DemoClient client = DemoClient.builder("c1").secret("s3cret").redirectUris("http://127.0.0.1/cb").build();

		assertThat(client.clientId()).isEqualTo("c1");
		assertThat(client.authenticationMethods()).containsExactly("client_secret_basic");
		assertThat(client.grantTypes()).containsExactly("authorization_code", "refresh_token");
		assertThat(client.requireProofKey()).isTrue();
		assertThat(client.requireConsent()).isFalse();
		assertThat(client.scopes()).isEmpty();
		assertThat(client.accessTokenTtl()).isNull();
		assertThat(client.hasSecret()).isTrue();
	}

	@Test
	void buildWhenJwkSetUrlOnlyThenPrivateKeyJwt() {
		DemoClient client = DemoClient.builder("c2")
			.jwkSetUrl("http://127.0.0.1:1/jwks")
			.grantTypes("client_credentials")
			.build();

		assertThat(client.authenticationMethods()).containsExactly("private_key_jwt");
		assertThat(client.jwkSetUrl()).isEqualTo("http://127.0.0.1:1/jwks");
	}

	@Test
	void buildWhenNoCredentialThenPublicClient() {
		DemoClient client = DemoClient.builder("c3").redirectUris("http://127.0.0.1/cb").build();

		assertThat(client.authenticationMethods()).containsExactly("none");
		assertThat(client.hasSecret()).isFalse();
	}

	@Test
	void toStringWhenSecretThenRedacted() {
		DemoClient client = DemoClient.builder("c4")
			.secret("very-secret-value")
			.authenticationMethods("client_secret_post")
			.accessTokenTtl(Duration.ofMinutes(1))
			.redirectUris("http://127.0.0.1/cb")
			.build();

		assertThat(client.toString()).doesNotContain("very-secret-value").contains("[REDACTED]").contains("c4");
	}

	@Test
	void buildWhenSecretMethodWithoutSecretThenRefused() {
		assertThatThrownBy(() -> DemoClient.builder("c")
			.authenticationMethods("client_secret_post")
			.redirectUris("http://127.0.0.1/cb")
			.build()).isInstanceOf(IllegalStateException.class).hasMessageContaining("need a secret");
	}

	@Test
	void buildWhenSecretWithOnlyPublicMethodThenRefused() {
		assertThatThrownBy(() -> DemoClient.builder("c")
			.secret("s")
			.authenticationMethods("none")
			.redirectUris("http://127.0.0.1/cb")
			.build()).isInstanceOf(IllegalStateException.class);
	}

	@Test
	void buildWhenPrivateKeyJwtWithoutJwkSetUrlThenRefused() {
		assertThatThrownBy(() -> DemoClient.builder("c")
			.authenticationMethods("private_key_jwt")
			.grantTypes("client_credentials")
			.build()).isInstanceOf(IllegalStateException.class).hasMessageContaining("jwkSetUrl");
	}

	@Test
	void buildWhenCodeGrantWithoutRedirectUriThenRefused() {
		assertThatThrownBy(() -> DemoClient.builder("c").secret("s").build())
			.isInstanceOf(IllegalStateException.class)
			.hasMessageContaining("redirect URI");
	}

	@Test
	void buildWhenPublicClientAsksForClientCredentialsThenRefused() {
		assertThatThrownBy(() -> DemoClient.builder("c").grantTypes("client_credentials").build())
			.isInstanceOf(IllegalStateException.class)
			.hasMessageContaining("client_credentials");
	}

	@Test
	void builderWhenUnknownMethodGrantScopeOrUriThenRefused() {
		DemoClient.Builder builder = DemoClient.builder("c");
		assertThatThrownBy(() -> builder.authenticationMethods("client_secret_jwt"))
			.isInstanceOf(IllegalArgumentException.class);
		assertThatThrownBy(() -> builder.grantTypes("password")).isInstanceOf(IllegalArgumentException.class);
		assertThatThrownBy(() -> builder.scopes("a b")).isInstanceOf(IllegalArgumentException.class);
		assertThatThrownBy(() -> builder.redirectUris("/relative")).isInstanceOf(IllegalArgumentException.class);
		assertThatThrownBy(() -> builder.accessTokenTtl(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
		assertThatThrownBy(() -> DemoClient.builder(" ")).isInstanceOf(IllegalArgumentException.class);
	}

	@Test
	void providerWhenSameClientIdTwiceThenRefused() {
		DemoClient client = DemoClient.builder("dup").secret("s").redirectUris("http://127.0.0.1/cb").build();

		assertThatThrownBy(() -> DemoIdentityProvider.builder().client(client).client(client))
			.isInstanceOf(IllegalArgumentException.class)
			.hasMessageContaining("dup");
	}

}
