package dev.gatehouse.core.oauth;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import dev.gatehouse.core.oauth.TokenResponses.InvalidTokenResponseException;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TokenResponsesTests {

	private static final Instant NOW = Instant.parse("2026-11-28T10:00:00Z");

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static JsonNode json(String text) {
		return JSON.readTree(text);
	}

	private static TokenSet parse(String text) {
		return TokenResponses.success(json(text), NOW, Duration.ofMinutes(10), List.of("data:read"));
	}

	@Test
	void successReadsEveryMember() {
		TokenSet set = parse("{\"access_token\":\"AT\",\"token_type\":\"bearer\",\"expires_in\":300,"
				+ "\"refresh_token\":\"RT\",\"scope\":\"data:read  risk:analyze\"}");
		assertThat(set.accessToken().reveal()).isEqualTo("AT");
		assertThat(set.tokenType()).isEqualTo("Bearer");
		assertThat(set.expiresAt()).isEqualTo(NOW.plusSeconds(300));
		assertThat(set.expiryAssumed()).isFalse();
		assertThat(set.refreshToken().reveal()).isEqualTo("RT");
		assertThat(set.scopes()).containsExactly("data:read", "risk:analyze");
		assertThat(set.toString()).doesNotContain("AT\"").doesNotContain("RT").contains("refreshToken=true");
	}

	@Test
	void successWhenExpiresInMissingThenTheDefaultLifetimeIsAssumedNotOneSecond() {
		TokenSet set = parse("{\"access_token\":\"AT\",\"token_type\":\"Bearer\"}");
		assertThat(set.expiresAt()).isEqualTo(NOW.plus(Duration.ofMinutes(10)));
		assertThat(set.expiryAssumed()).isTrue();
		assertThat(set.scopes()).containsExactly("data:read");
		assertThat(set.refreshToken()).isNull();
	}

	@Test
	void successWhenExpiresInIsANumericStringThenAccepted() {
		assertThat(parse("{\"access_token\":\"AT\",\"token_type\":\"Bearer\",\"expires_in\":\"60\"}").expiresAt())
			.isEqualTo(NOW.plusSeconds(60));
	}

	@Test
	void successWhenUnusableThenRejectedWithoutEchoingTheToken() {
		assertThatThrownBy(() -> parse("{\"token_type\":\"Bearer\"}")).isInstanceOf(InvalidTokenResponseException.class)
			.hasMessageContaining("no access_token");
		assertThatThrownBy(() -> parse("{\"access_token\":\"SECRET\",\"token_type\":\"DPoP\"}"))
			.hasMessageContaining("'DPoP'")
			.hasMessageNotContaining("SECRET");
		assertThatThrownBy(() -> parse("{\"access_token\":\"AT\"}")).hasMessageContaining("token_type is missing");
		assertThatThrownBy(() -> parse("{\"access_token\":\"AT\",\"token_type\":\"Bearer\",\"expires_in\":0}"))
			.hasMessageContaining("already expired");
		assertThatThrownBy(() -> parse("{\"access_token\":\"AT\",\"token_type\":\"Bearer\",\"expires_in\":\"soon\"}"))
			.hasMessageContaining("expires_in");
		assertThatThrownBy(() -> parse("[]")).hasMessageContaining("not a JSON object");
	}

	@Test
	void keepingRefreshTokenWhenTheServerDidNotRotateIt() {
		TokenSet first = parse("{\"access_token\":\"A1\",\"token_type\":\"Bearer\",\"refresh_token\":\"R1\"}");
		TokenSet second = parse("{\"access_token\":\"A2\",\"token_type\":\"Bearer\"}").keepingRefreshTokenOf(first);
		assertThat(second.refreshToken().reveal()).isEqualTo("R1");
		TokenSet rotated = parse("{\"access_token\":\"A3\",\"token_type\":\"Bearer\",\"refresh_token\":\"R2\"}")
			.keepingRefreshTokenOf(first);
		assertThat(rotated.refreshToken().reveal()).isEqualTo("R2");
	}

	@Test
	void expiresWithinCountsTheSkew() {
		TokenSet set = parse("{\"access_token\":\"AT\",\"token_type\":\"Bearer\",\"expires_in\":100}");
		assertThat(set.expiresWithin(Duration.ofSeconds(60), NOW)).isFalse();
		assertThat(set.expiresWithin(Duration.ofSeconds(60), NOW.plusSeconds(40))).isTrue();
		assertThat(set.expiresWithin(Duration.ZERO, NOW.plusSeconds(100))).isTrue();
	}

	@Test
	void errorReadsTheCodeAndCleansTheDescription() {
		OAuthError error = TokenResponses.error(json("{\"error\":\"invalid_grant\",\"error_description\":\"bad\\nline\"}"));
		assertThat(error.code()).isEqualTo("invalid_grant");
		assertThat(error.describe()).isEqualTo("invalid_grant: bad line");
		assertThat(TokenResponses.error(json("{\"foo\":1}"))).isNull();
		assertThat(TokenResponses.error(null)).isNull();
	}
}
