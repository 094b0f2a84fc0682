package dev.gatehouse.demo.idp;

import java.net.http.HttpResponse;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;

import com.nimbusds.jwt.JWTClaimsSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.gatehouse.demo.SteppedClock;
import dev.gatehouse.demo.idp.HeadlessLogin.AuthorizationCode;
import dev.gatehouse.demo.idp.HeadlessLogin.Tokens;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Every time of the provider comes from its clock, here a stepped clock that starts well
 * before the real date (so Spring's own system-clock checks would call everything
 * expired): token times, code and refresh token expiry, UserInfo.
 */
class ProviderClockTests {

	private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

	private final SteppedClock clock = new SteppedClock(START);

	private DemoIdentityProvider idp;

	@BeforeEach
	void start() {
		this.idp = DemoIdentityProvider.builder()
			.clock(this.clock)
			.accessTokenTtl(Duration.ofMinutes(5))
			.refreshTokenTtl(Duration.ofHours(1))
			.start();
	}

	@AfterEach
	void stop() {
		this.idp.close();
	}

	@Test
	void tokensWhenIssuedThenTimesComeFromTheProviderClock() throws ParseException {
		this.clock.advance(Duration.ofSeconds(30));

		Tokens tokens = HeadlessLogin.builder(this.idp.issuer()).build().login("alice", "password");

		JWTClaimsSet claims = IdpHttp.verified(this.idp, tokens.accessToken()).getJWTClaimsSet();
		assertThat(claims.getIssueTime().toInstant()).isEqualTo(START.plusSeconds(30));
		assertThat(claims.getExpirationTime().toInstant()).isEqualTo(START.plusSeconds(30).plus(Duration.ofMinutes(5)));
		// Spring computes expires_in from the token's lifetime against its own clock.
		assertThat(tokens.expiresIn()).isBetween(295L, 300L);
	}

	@Test
	void refreshWhenAccessTokenExpiredByTheClockThenWorksAndIsTimedByIt() throws ParseException {
		HeadlessLogin login = HeadlessLogin.builder(this.idp.issuer()).build();
		Tokens tokens = login.login("bob", "password");
		this.clock.advance(Duration.ofMinutes(10));

		Tokens refreshed = login.refresh(tokens.refreshToken(), null);

		assertThat(IdpHttp.verified(this.idp, refreshed.accessToken()).getJWTClaimsSet().getIssueTime().toInstant())
			.isEqualTo(START.plus(Duration.ofMinutes(10)));
		assertThat(this.idp.activeAuthorizations(login.clientId(), "bob")).isEqualTo(1);
	}

	@Test
	void refreshWhenRefreshTokenExpiredByTheClockThenInvalidGrantAndNoActiveGrant() {
		HeadlessLogin login = HeadlessLogin.builder(this.idp.issuer()).build();
		Tokens tokens = login.login("carol", "password");
		this.clock.advance(Duration.ofMinutes(30));
		assertThat(this.idp.activeAuthorizations(login.clientId(), "carol")).as("refresh token still live")
			.isEqualTo(1);

		this.clock.advance(Duration.ofMinutes(31));

		assertThat(this.idp.activeAuthorizations(login.clientId(), "carol")).isZero();
		assertThatThrownBy(() -> login.refresh(tokens.refreshToken(), null))
			.isInstanceOfSatisfying(HeadlessLoginException.class,
					(ex) -> assertThat(ex.error()).isEqualTo("invalid_grant"));
	}

	@Test
	void exchangeWhenCodeExpiredByTheClockThenInvalidGrant() {
		HeadlessLogin login = HeadlessLogin.builder(this.idp.issuer()).build();
		AuthorizationCode code = login.authorize("dave", "password");

		this.clock.advance(Duration.ofMinutes(6));

		assertThatThrownBy(() -> login.exchange(code)).isInstanceOfSatisfying(HeadlessLoginException.class,
				(ex) -> assertThat(ex.error()).isEqualTo("invalid_grant"));
	}

	@Test
	void refreshAndUserInfoWhenTheClockIsAheadOfTheSystemClockThenWork() throws ParseException {
		SteppedClock future = new SteppedClock(Instant.parse("2031-06-01T12:00:00Z"));
		try (DemoIdentityProvider ahead = DemoIdentityProvider.builder().clock(future).start()) {
			HeadlessLogin login = HeadlessLogin.builder(ahead.issuer()).build();
			Tokens tokens = login.login("bob", "password");
			future.advance(Duration.ofMinutes(1));

			Tokens refreshed = login.refresh(tokens.refreshToken(), null);

			assertThat(IdpHttp.verified(ahead, refreshed.accessToken()).getJWTClaimsSet().getNotBeforeTime().toInstant())
				.isEqualTo(Instant.parse("2031-06-01T12:01:00Z"));
			assertThat(IdpHttp.get(ahead.issuer() + "/userinfo", "Authorization", "Bearer " + refreshed.accessToken())
				.statusCode()).isEqualTo(200);
		}
	}

	@Test
	void userInfoWhenAccessTokenValidByTheClockThenAnsweredAndAfterExpiryRefused() {
		Tokens tokens = HeadlessLogin.builder(this.idp.issuer()).build().login("alice", "password");

		HttpResponse<String> valid = IdpHttp.get(this.idp.issuer() + "/userinfo", "Authorization",
				"Bearer " + tokens.accessToken());
		this.clock.advance(Duration.ofMinutes(7));
		HttpResponse<String> expired = IdpHttp.get(this.idp.issuer() + "/userinfo", "Authorization",
				"Bearer " + tokens.accessToken());

		assertThat(valid.statusCode()).as(valid.body()).isEqualTo(200);
		assertThat(expired.statusCode()).isEqualTo(401);
	}

}
