package dev.gatehouse.demo.idp;

import org.junit.jupiter.api.Test;

import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The provider's encoder keeps secrets configured in clear as they are and otherwise behaves as Spring's
 * delegating encoder.
 */
class ClearSecretsStayClearTests {

	private final PasswordEncoder spring = PasswordEncoderFactories.createDelegatingPasswordEncoder();

	private final PasswordEncoder encoder = new ClearSecretsStayClear(this.spring);

	@Test
	void upgradeEncodingWhenClearThenNotUpgradedThoughSpringWould() {
		assertThat(this.spring.upgradeEncoding("{noop}s3cret")).isTrue();
		assertThat(this.encoder.upgradeEncoding("{noop}s3cret")).isFalse();
	}

	@Test
	void upgradeEncodingWhenAnotherOutdatedEncodingThenUpgradedAsSpringWould() {
		String md5 = "{MD5}5f4dcc3b5aa765d61d8327deb882cf99";

		assertThat(this.encoder.upgradeEncoding(md5)).isEqualTo(this.spring.upgradeEncoding(md5)).isTrue();
		assertThat(this.encoder.upgradeEncoding(this.spring.encode("x"))).isFalse();
	}

	@Test
	void encodeAndMatchesWhenNewSecretThenBcryptAndClearSecretsStillMatch() {
		String encoded = this.encoder.encode("s3cret");

		assertThat(encoded).startsWith("{bcrypt}");
		assertThat(this.encoder.matches("s3cret", encoded)).isTrue();
		assertThat(this.encoder.matches("s3cret", "{noop}s3cret")).isTrue();
		assertThat(this.encoder.matches("wrong", "{noop}s3cret")).isFalse();
	}

}
