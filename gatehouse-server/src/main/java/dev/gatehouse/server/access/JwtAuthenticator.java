package dev.gatehouse.server.access;

import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import com.nimbusds.jwt.EncryptedJWT;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.SignedJWT;
import dev.gatehouse.core.access.Caller;
import dev.gatehouse.core.crypto.Sha256;
import dev.gatehouse.core.policy.PolicyEvaluator;
import dev.gatehouse.server.audit.AuditTrail;
import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.security.oauth2.jwt.JwtValidationException;
import org.springframework.stereotype.Component;

/**
 * Step 1 of the tool-call path: authenticates a request by its bearer JWT (RFC 6750, in the {@code Authorization}
 * header only), verified by the decoder of its issuer ({@link IssuerDecoders}). A verified token is remembered
 * (by its SHA-256) until it expires, so a repeated token costs a hash and a map lookup instead of a signature
 * check; roles are recomputed when the policy changes. Requests without a token act as the development local
 * user when that mode is on. Every refusal is audited with its reason, never with the token.
 *
 * @see <a href="https://modelcontextprotocol.io/specification/2025-11-25/basic/authorization#token-handling">MCP
 * authorization: token handling</a>
 */
@Component
final class JwtAuthenticator implements InboundAuthenticator {

	private static final Logger logger = LoggerFactory.getLogger(JwtAuthenticator.class);

	private final AccessSettings settings;

	private final IssuerDecoders decoders;

	private final PolicyService policies;

	private final Principals principals;

	private final AuditTrail audit;

	private final Clock clock;

	private final Map<TokenKey, Verified> cache = new ConcurrentHashMap<>();

	private final Caller localUser;

	JwtAuthenticator(AccessSettings settings, IssuerDecoders decoders, PolicyService policies, Principals principals,
			AuditTrail audit, Clock clock) {
		this.settings = settings;
		this.decoders = decoders;
		this.policies = policies;
		this.principals = principals;
		this.audit = audit;
		this.clock = clock;
		this.localUser = new Caller(Caller.LOCAL_ISSUER, settings.localUserSubject(), null, Set.of("admin"), Set.of());
		warnIfLocalUser();
	}

	@Override
	public Caller authenticate(HttpServletRequest request) {
		String header = request.getHeader("Authorization");
		if (header == null) {
			String query = request.getQueryString();
			if (query != null && (query.startsWith("access_token=") || query.contains("&access_token="))) {
				throw refuse(AuthenticationRequiredException.invalidToken(
						"tokens are accepted only in the Authorization header, never in the URL"), request, null);
			}
			if (settings.localUserEnabled()) {
				return localUser;
			}
			throw new AuthenticationRequiredException(settings.hasIssuers() ? "a bearer token is required"
					: "no identity provider is configured and the development local user is off");
		}
		if (header.length() < 8 || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
			throw refuse(new AuthenticationRequiredException("invalid_request",
					"the Authorization header must be 'Bearer <token>'", 401), request, null);
		}
		return verify(header.substring(7).strip(), request);
	}

	private Caller verify(String token, HttpServletRequest request) {
		TokenKey key = TokenKey.of(token);
		Verified verified = cache.get(key);
		Instant now = clock.instant();
		PolicyService.Current policy = policies.current();
		if (verified != null && now.isBefore(verified.expiresAt())) {
			if (verified.generation() != policy.generation()) {
				verified = verified.withRoles(policy);
				cache.put(key, verified);
			}
			requireScopes(verified.caller(), request);
			return verified.caller();
		}
		Jwt jwt = decode(token, request);
		Caller caller = caller(jwt, policy.evaluator());
		requireScopes(caller, request);
		Instant expires = (jwt.getExpiresAt() != null) ? jwt.getExpiresAt().plus(settings.clockSkew()) : now;
		if (cache.size() >= settings.tokenCacheSize()) {
			evictExpired(now);
		}
		cache.put(key, new Verified(caller, jwt.getClaims(), expires, policy.generation()));
		principals.seen(caller);
		return caller;
	}

	private Jwt decode(String token, HttpServletRequest request) {
		String issuer = unverifiedIssuer(token, request);
		if (issuer == null) {
			throw refuse(AuthenticationRequiredException.invalidToken("the token has no issuer (iss)"), request, null);
		}
		JwtDecoder decoder = decoders.forIssuer(issuer);
		if (decoder == null) {
			throw refuse(AuthenticationRequiredException.invalidToken(
					"tokens from issuer '" + printable(issuer) + "' are not trusted"), request, issuer);
		}
		try {
			return decoder.decode(token);
		}
		catch (JwtValidationException ex) {
			logger.debug("Token refused: {} {}", ex.getMessage(), ex.getErrors());
			throw refuse(AuthenticationRequiredException.invalidToken(describe(ex)), request, issuer);
		}
		catch (BadJwtException ex) {
			logger.debug("Token refused: {}", ex.getMessage());
			throw refuse(AuthenticationRequiredException.invalidToken(badJwt(ex)), request, issuer);
		}
		catch (JwtException ex) {
			logger.warn("Cannot verify tokens of issuer {} now: {}", issuer, ex.getMessage());
			throw refuse(new AuthenticationRequiredException("temporarily_unavailable",
					"the token cannot be verified now: the issuer's keys are unreachable", 503), request, issuer);
		}
	}

	/**
	 * The issuer a token claims, read before its signature is checked (to choose the issuer's decoder). Only a signed
	 * JWT (JWS) can be verified: an encrypted one (JWE, five parts) has no readable claims here and an unsigned one
	 * ({@code alg: none}) proves nothing, so both are refused as invalid tokens, like any text that is not a JWT.
	 */
	private @Nullable String unverifiedIssuer(String token, HttpServletRequest request) {
		JWT parsed;
		try {
			parsed = JWTParser.parse(token);
		}
		catch (ParseException | RuntimeException ex) {
			// Nimbus reports most malformed input as ParseException, some (odd Base64URL, JSON nesting) as runtime
			// exceptions: either way the caller sent something that is not a JWT.
			throw refuse(AuthenticationRequiredException.invalidToken("the bearer token is not a JWT"), request, null);
		}
		if (parsed instanceof EncryptedJWT) {
			throw refuse(AuthenticationRequiredException.invalidToken(
					"encrypted tokens (JWE) are not accepted: the token must be a signed JWT"), request, null);
		}
		if (!(parsed instanceof SignedJWT)) {
			throw refuse(AuthenticationRequiredException.invalidToken(
					"unsigned tokens (alg: none) are not accepted: the token must be a signed JWT"), request, null);
		}
		try {
			JWTClaimsSet claims = parsed.getJWTClaimsSet();
			return (claims != null) ? claims.getIssuer() : null;
		}
		catch (ParseException | RuntimeException ex) {
			throw refuse(AuthenticationRequiredException.invalidToken("the token's payload is not a JSON claims set"),
					request, null);
		}
	}

	private Caller caller(Jwt jwt, PolicyEvaluator policy) {
		Map<String, Object> claims = jwt.getClaims();
		String clientId = firstString(claims, "client_id", "azp", "cid", "appid");
		Set<String> scopes = new java.util.LinkedHashSet<>();
		scopes.addAll(scopeValues(claims.get("scope")));
		scopes.addAll(scopeValues(claims.get("scp")));
		String subject = (jwt.getSubject() != null) ? jwt.getSubject() : "";
		return new Caller(jwt.getIssuer().toString(), subject, clientId, policy.roles(claims), scopes);
	}

	private void requireScopes(Caller caller, HttpServletRequest request) {
		if (!settings.requiredScopes().isEmpty() && !caller.scopes().containsAll(settings.requiredScopes())) {
			audit.event("authentication_failed", auditFields(request, caller.issuer(), "insufficient_scope",
					"the token lacks a required scope"));
			throw new InsufficientScopeException(settings.requiredScopes());
		}
	}

	private AuthenticationRequiredException refuse(AuthenticationRequiredException ex, HttpServletRequest request,
			@Nullable String issuer) {
		audit.event("authentication_failed", auditFields(request, issuer, ex.error(), ex.getMessage()));
		return ex;
	}

	private static Map<String, Object> auditFields(HttpServletRequest request, @Nullable String issuer,
			@Nullable String error, String reason) {
		Map<String, Object> fields = new LinkedHashMap<>();
		fields.put("path", request.getRequestURI());
		fields.put("remote", request.getRemoteAddr());
		if (issuer != null) {
			fields.put("issuer", printable(issuer));
		}
		if (error != null) {
			fields.put("error", error);
		}
		fields.put("reason", reason);
		return fields;
	}

	private static String describe(JwtValidationException ex) {
		List<String> descriptions = new ArrayList<>();
		ex.getErrors().forEach((e) -> descriptions.add(e.getDescription() != null ? e.getDescription() : e.getErrorCode()));
		String text = String.join("; ", descriptions);
		if (text.toLowerCase(Locale.ROOT).contains("expired")) {
			return "the token has expired";
		}
		if (text.toLowerCase(Locale.ROOT).contains("before")) {
			return "the token is not valid yet";
		}
		return text.isEmpty() ? "the token is not valid" : text;
	}

	private static String badJwt(BadJwtException ex) {
		String message = (ex.getMessage() != null) ? ex.getMessage().toLowerCase(Locale.ROOT) : "";
		if (message.contains("expired")) {
			return "the token has expired";
		}
		if (message.contains("before use time") || message.contains("not before") || message.contains("nbf")) {
			return "the token is not valid yet";
		}
		if (message.contains("signature")) {
			return "the token's signature does not verify";
		}
		if (message.contains("matching key") || message.contains("no key") || message.contains("key id")) {
			return "the token is signed with a key the issuer does not publish";
		}
		if (message.contains("unsecured") || message.contains("alg") || message.contains("algorithm")) {
			return "the token is not signed with an accepted algorithm";
		}
		return "the token is not valid";
	}

	private static @Nullable String firstString(Map<String, Object> claims, String... names) {
		for (String name : names) {
			Object value = claims.get(name);
			if (value instanceof String s && !s.isEmpty()) {
				return s;
			}
		}
		return null;
	}

	private static List<String> scopeValues(@Nullable Object value) {
		List<String> scopes = new ArrayList<>();
		if (value instanceof String s) {
			for (String scope : s.trim().split("\\s+")) {
				if (!scope.isEmpty()) {
					scopes.add(scope);
				}
			}
		}
		else if (value instanceof java.util.Collection<?> collection) {
			collection.forEach((v) -> scopes.add(String.valueOf(v)));
		}
		return scopes;
	}

	static String printable(String value) {
		String cut = (value.length() > 120) ? value.substring(0, 120) + "…" : value;
		return cut.replaceAll("[\\p{Cntrl}\"\\\\]", "?");
	}

	@Scheduled(fixedDelay = 60_000, initialDelay = 60_000)
	void purge() {
		evictExpired(clock.instant());
	}

	private void evictExpired(Instant now) {
		cache.values().removeIf((v) -> !now.isBefore(v.expiresAt()));
		if (cache.size() >= settings.tokenCacheSize()) {
			// Still full of live tokens: forget half rather than grow without bound.
			int drop = cache.size() / 2;
			var keys = cache.keySet().iterator();
			while (drop-- > 0 && keys.hasNext()) {
				keys.next();
				keys.remove();
			}
		}
	}

	@Scheduled(fixedDelay = 3_600_000, initialDelay = 3_600_000)
	void warnIfLocalUser() {
		if (settings.localUserEnabled()) {
			logger.warn("*** DEVELOPMENT MODE: gatehouse.access.local-user.enabled=true. Requests to /mcp and /admin "
					+ "without a token act as local user '{}' WITHOUT authentication. Never expose this gateway. ***",
					settings.localUserSubject());
		}
	}

	int cacheSize() {
		return cache.size();
	}

	/** The first 128 bits of a token's SHA-256: the cache never holds tokens. */
	record TokenKey(long high, long low) {

		static TokenKey of(String token) {
			byte[] d = Sha256.digest(token.getBytes(StandardCharsets.US_ASCII));
			return new TokenKey(java.nio.ByteBuffer.wrap(d, 0, 8).getLong(), java.nio.ByteBuffer.wrap(d, 8, 8).getLong());
		}
	}

	private record Verified(Caller caller, Map<String, Object> claims, Instant expiresAt, long generation) {

		Verified withRoles(PolicyService.Current policy) {
			Caller recomputed = new Caller(caller.issuer(), caller.subject(), caller.clientId(),
					policy.evaluator().roles(claims), caller.scopes());
			return new Verified(recomputed, claims, expiresAt, policy.generation());
		}
	}
}
