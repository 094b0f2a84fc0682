package dev.gatehouse.demo.idp;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.security.oauth2.core.OAuth2AccessToken;
import org.springframework.security.oauth2.core.OAuth2RefreshToken;
import org.springframework.security.oauth2.core.OAuth2Token;
import org.springframework.security.oauth2.server.authorization.InMemoryOAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationCode;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;

/**
 * The provider's grants (Spring's {@code InMemoryOAuth2AuthorizationService} inside) with
 * three additions.
 *
 * <p>
 * <b>Refresh token reuse detection.</b> When a save replaces a grant's refresh token (this
 * provider rotates them on every use), the SHA-256 of the old value is remembered with
 * the grant's id, never the value. When a remembered token is presented again on the
 * refresh grant, the whole grant is revoked (its refresh and access tokens are
 * invalidated, as an RFC 7009 revocation of the refresh token would) and Spring answers
 * {@code invalid_grant}: the provider cannot tell the legitimate client from an attacker
 * who stole the old token. Spring Authorization Server itself only refuses the old token.
 *
 * <p>
 * <b>The provider clock decides expiry.</b> Codes, access and refresh tokens carry times
 * from the provider's {@link Clock}, but Spring checks them against
 * {@code Instant.now()} ({@code OAuth2Authorization.Token#isExpired}). So a token found
 * by its value is checked here against the provider clock: expired or not yet valid, the
 * grant is not found (Spring answers {@code invalid_grant} or {@code invalid_token});
 * otherwise Spring gets a copy of the grant in which that token has no expiry and no
 * {@code nbf}, so that its own system-clock check passes. Such copies are only saved back
 * with that token invalidated or replaced.
 *
 * <p>
 * <b>Observation.</b> {@link #activeAuthorizations(String, String)} counts the live grants
 * of a client and user by the provider clock. Thread-safe.
 *
 * @see <a href="https://datatracker.ietf.org/doc/html/rfc9700#section-4.14.2">RFC 9700
 * section 4.14.2 (refresh token replay)</a>
 * @see <a href=
 * "https://datatracker.ietf.org/doc/html/draft-ietf-oauth-v2-1#section-4.3.1">OAuth 2.1
 * section 4.3.1</a>
 */
final class DemoAuthorizationService implements OAuth2AuthorizationService {

	private static final Logger logger = LoggerFactory.getLogger(DemoAuthorizationService.class);

	private static final String NOT_BEFORE = "nbf";

	private final OAuth2AuthorizationService delegate = new InMemoryOAuth2AuthorizationService();

	private final Clock clock;

	/** SHA-256 (hex) of each rotated-out refresh token, to the id of its grant. */
	private final Map<String, String> rotatedOut = new ConcurrentHashMap<>();

	private final Set<String> ids = ConcurrentHashMap.newKeySet();

	private final AtomicLong reuses = new AtomicLong();

	DemoAuthorizationService(Clock clock) {
		this.clock = Objects.requireNonNull(clock, "clock must not be null");
	}

	@Override
	public synchronized void save(OAuth2Authorization authorization) {
		OAuth2Authorization previous = this.delegate.findById(authorization.getId());
		String previousRefresh = refreshTokenValue(previous);
		if (previousRefresh != null && !previousRefresh.equals(refreshTokenValue(authorization))) {
			this.rotatedOut.put(sha256Hex(previousRefresh), authorization.getId());
		}
		this.delegate.save(authorization);
		this.ids.add(authorization.getId());
	}

	@Override
	public synchronized void remove(OAuth2Authorization authorization) {
		this.delegate.remove(authorization);
		this.ids.remove(authorization.getId());
	}

	@Override
	public @Nullable OAuth2Authorization findById(String id) {
		return this.delegate.findById(id);
	}

	@Override
	public @Nullable OAuth2Authorization findByToken(String token, @Nullable OAuth2TokenType tokenType) {
		if (OAuth2TokenType.REFRESH_TOKEN.equals(tokenType)) {
			String grantId = this.rotatedOut.get(sha256Hex(token));
			if (grantId != null) {
				revokeReusedGrant(grantId);
				return null;
			}
		}
		OAuth2Authorization authorization = this.delegate.findByToken(token, tokenType);
		OAuth2Authorization.Token<OAuth2Token> found = (authorization != null) ? authorization.getToken(token) : null;
		if (authorization == null || found == null || found.isInvalidated()) {
			// Not found, found by state, or revoked: Spring's own checks apply.
			return authorization;
		}
		if (!isCurrent(found)) {
			return null;
		}
		return withoutSystemClockChecks(authorization, found);
	}

	/**
	 * How many rotated-out refresh tokens were presented again.
	 */
	long refreshTokenReuses() {
		return this.reuses.get();
	}

	/**
	 * The grants of a client and a user (or, for client credentials, of the client
	 * itself) that still hold a refresh or access token that is neither invalidated nor
	 * expired by the provider clock.
	 * @param registeredClientId Spring's internal id of the client
	 * @param principalName the username, or the client id for client credentials
	 * @return the count
	 */
	int activeAuthorizations(String registeredClientId, String principalName) {
		int active = 0;
		for (String id : this.ids) {
			OAuth2Authorization authorization = this.delegate.findById(id);
			if (authorization != null && authorization.getRegisteredClientId().equals(registeredClientId)
					&& authorization.getPrincipalName().equals(principalName)
					&& (isLive(authorization.getRefreshToken()) || isLive(authorization.getAccessToken()))) {
				active++;
			}
		}
		return active;
	}

	private synchronized void revokeReusedGrant(String grantId) {
		this.reuses.incrementAndGet();
		OAuth2Authorization authorization = this.delegate.findById(grantId);
		OAuth2Authorization.Token<OAuth2RefreshToken> refreshToken = (authorization != null)
				? authorization.getRefreshToken() : null;
		if (authorization == null || refreshToken == null) {
			return;
		}
		// Invalidating the refresh token also invalidates the grant's access token and
		// code (OAuth2Authorization.Builder#invalidate).
		save(OAuth2Authorization.from(authorization).invalidate(refreshToken.getToken()).build());
		logger.warn("Rotated-out refresh token of authorization '{}' (registered client '{}') used again:"
				+ " the grant is revoked", grantId, authorization.getRegisteredClientId());
	}

	private boolean isLive(OAuth2Authorization.@Nullable Token<?> token) {
		return token != null && !token.isInvalidated() && isCurrent(token);
	}

	/**
	 * Whether the provider clock is within the token's validity: not after
	 * {@code expiresAt}, not before an {@code nbf} claim.
	 */
	private boolean isCurrent(OAuth2Authorization.Token<?> token) {
		Instant now = this.clock.instant();
		Instant expiresAt = token.getToken().getExpiresAt();
		Object notBefore = (token.getClaims() != null) ? token.getClaims().get(NOT_BEFORE) : null;
		return (expiresAt == null || !now.isAfter(expiresAt))
				&& !(notBefore instanceof Instant instant && now.isBefore(instant));
	}

	/**
	 * A copy of the grant in which the found code, access or refresh token has no
	 * {@code expiresAt} and no {@code nbf} claim, so that Spring's system-clock checks
	 * leave the decision to {@link #isCurrent(OAuth2Authorization.Token)}.
	 */
	private static OAuth2Authorization withoutSystemClockChecks(OAuth2Authorization authorization,
			OAuth2Authorization.Token<OAuth2Token> found) {
		OAuth2Token token = found.getToken();
		OAuth2Token timeless;
		if (token instanceof OAuth2AccessToken access) {
			timeless = new OAuth2AccessToken(access.getTokenType(), access.getTokenValue(), access.getIssuedAt(), null,
					access.getScopes());
		}
		else if (token instanceof OAuth2RefreshToken) {
			timeless = new OAuth2RefreshToken(token.getTokenValue(), token.getIssuedAt(), null);
		}
		else if (token instanceof OAuth2AuthorizationCode) {
			timeless = new OAuth2AuthorizationCode(token.getTokenValue(), token.getIssuedAt(), null);
		}
		else {
			return authorization;
		}
		return OAuth2Authorization.from(authorization).token(timeless, (metadata) -> {
			Object claims = metadata.get(OAuth2Authorization.Token.CLAIMS_METADATA_NAME);
			if (claims instanceof Map<?, ?> map) {
				Map<Object, Object> withoutNotBefore = new LinkedHashMap<>(map);
				withoutNotBefore.remove(NOT_BEFORE);
				metadata.put(OAuth2Authorization.Token.CLAIMS_METADATA_NAME, withoutNotBefore);
			}
		}).build();
	}

	private static @Nullable String refreshTokenValue(@Nullable OAuth2Authorization authorization) {
		OAuth2Authorization.Token<OAuth2RefreshToken> token = (authorization != null) ? authorization.getRefreshToken()
				: null;
		return (token != null) ? token.getToken().getTokenValue() : null;
	}

	static String sha256Hex(String value) {
		try {
			return HexFormat.of()
				.formatHex(MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8)));
		}
		catch (NoSuchAlgorithmException ex) {
			// Every Java platform is required to provide SHA-256.
			throw new IllegalStateException("SHA-256 is not available", ex);
		}
	}

}
