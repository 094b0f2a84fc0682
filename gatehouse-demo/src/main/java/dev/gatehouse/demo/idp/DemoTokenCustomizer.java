package dev.gatehouse.demo.idp;

import java.text.ParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.JWK;
import org.jspecify.annotations.Nullable;

import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.OAuth2AccessToken;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.oidc.endpoint.OidcParameterNames;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimNames;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.security.oauth2.server.authorization.token.JwtEncodingContext;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenContext;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenCustomizer;

/**
 * Shapes the JWTs that Spring Authorization Server's {@code JwtGenerator} builds. The
 * generator's defaults stay in place: {@code iss}, {@code sub}, {@code iat}, {@code exp},
 * and for access tokens {@code nbf} and {@code jti}. This customizer is the only one (the
 * provider supplies its own token generator), so it also adds what Spring's internal
 * customizer would: {@code cnf.jkt} for DPoP-bound access tokens (there is no mTLS here).
 *
 * <p>
 * Access tokens (RFC 9068):
 * <ul>
 * <li>header {@code typ: at+jwt};</li>
 * <li>{@code aud}: the RFC 8707 {@code resource} values of the token request, else those
 * of the authorization request, else (refresh) the previous access token's audience, else
 * Spring's default, the client id. A token request may only narrow the resources of its
 * authorization request; a refresh may only name resources of the original grant (those
 * of the authorization request, or when it had none, the current access token's
 * audience); a client credentials request may name any. An invalid or ungranted value
 * fails with {@code invalid_target};</li>
 * <li>{@code scope} as one space-separated string (Spring emits a JSON array);</li>
 * <li>{@code client_id}, and for a user: {@code preferred_username}, {@code roles},
 * {@code groups} (arrays, possibly empty). A client credentials token has the client id
 * as {@code sub} and no user claims.</li>
 * </ul>
 * ID tokens additionally get {@code preferred_username}, {@code email},
 * {@code email_verified}, {@code roles} and {@code groups}.
 *
 * @see <a href="https://datatracker.ietf.org/doc/html/rfc9068#section-2">RFC 9068 section
 * 2</a>
 * @see <a href="https://datatracker.ietf.org/doc/html/rfc8707#section-2.2">RFC 8707
 * section 2.2</a>
 */
final class DemoTokenCustomizer implements OAuth2TokenCustomizer<JwtEncodingContext> {

	static final String ACCESS_TOKEN_TYPE = "at+jwt";

	private final IdentityProviderSettings settings;

	DemoTokenCustomizer(IdentityProviderSettings settings) {
		this.settings = settings;
	}

	@Override
	public void customize(JwtEncodingContext context) {
		if (OAuth2TokenType.ACCESS_TOKEN.equals(context.getTokenType())) {
			customizeAccessToken(context);
		}
		else if (OidcParameterNames.ID_TOKEN.equals(context.getTokenType().getValue())) {
			customizeIdToken(context);
		}
	}

	private void customizeAccessToken(JwtEncodingContext context) {
		context.getJwsHeader().type(ACCESS_TOKEN_TYPE);
		List<String> audience = audience(context);
		if (!audience.isEmpty()) {
			context.getClaims().audience(audience);
		}
		context.getClaims().claims((claims) -> {
			claims.remove("scope");
			if (!context.getAuthorizedScopes().isEmpty()) {
				claims.put("scope", String.join(" ", new TreeSet<>(context.getAuthorizedScopes())));
			}
			claims.put("client_id", context.getRegisteredClient().getClientId());
		});
		DemoUser user = AuthorizationGrantType.CLIENT_CREDENTIALS.equals(context.getAuthorizationGrantType()) ? null
				: user(context.getPrincipal());
		if (user != null) {
			context.getClaims().claims((claims) -> putUserClaims(claims, user));
		}
		Jwt proof = context.get(OAuth2TokenContext.DPOP_PROOF_KEY);
		if (proof != null) {
			context.getClaims().claim("cnf", Map.of("jkt", thumbprint(proof)));
		}
	}

	/**
	 * The RFC 7638 thumbprint of a DPoP proof's public key, for {@code cnf.jkt}. (This
	 * generator replaces Spring's, whose own customizer would add it.)
	 * @see <a href="https://datatracker.ietf.org/doc/html/rfc9449#section-6.1">RFC 9449
	 * section 6.1</a>
	 */
	private static String thumbprint(Jwt proof) {
		try {
			@SuppressWarnings("unchecked")
			Map<String, Object> jwk = (Map<String, Object>) proof.getHeaders().get("jwk");
			return JWK.parse(jwk).computeThumbprint().toString();
		}
		catch (ParseException | JOSEException | ClassCastException | NullPointerException ex) {
			throw new OAuth2AuthenticationException(
					new OAuth2Error("invalid_dpop_proof", "jwk header is missing or invalid", null), ex);
		}
	}

	private void customizeIdToken(JwtEncodingContext context) {
		DemoUser user = user(context.getPrincipal());
		if (user != null) {
			context.getClaims().claims((claims) -> {
				putUserClaims(claims, user);
				claims.put("email", user.email());
				claims.put("email_verified", true);
			});
		}
	}

	private static void putUserClaims(Map<String, Object> claims, DemoUser user) {
		claims.put("preferred_username", user.username());
		claims.put("roles", user.roles());
		claims.put("groups", user.groups());
	}

	private @Nullable DemoUser user(@Nullable Authentication principal) {
		return (principal != null) ? this.settings.user(principal.getName()) : null;
	}

	/**
	 * The audience of a new access token; empty to keep Spring's default.
	 */
	private static List<String> audience(JwtEncodingContext context) {
		List<String> requested = ResourceIndicators.ofGrant(context.getAuthorizationGrant());
		String invalid = ResourceIndicators.firstInvalid(requested);
		if (invalid != null) {
			throw new OAuth2AuthenticationException(
					ResourceIndicators.invalidTarget("resource must be an absolute URI without a fragment"));
		}
		List<String> granted = ResourceIndicators.ofAuthorizationRequest(context.getAuthorization());
		boolean refresh = AuthorizationGrantType.REFRESH_TOKEN.equals(context.getAuthorizationGrantType());
		if (refresh && granted.isEmpty()) {
			// The resources were first named on the code's token request: the grant is
			// what its current access token is for.
			granted = previousAudience(context.getAuthorization());
		}
		if (!requested.isEmpty()) {
			if ((refresh || !granted.isEmpty()) && !granted.containsAll(requested)) {
				throw new OAuth2AuthenticationException(
						ResourceIndicators.invalidTarget("resource was not part of the original grant"));
			}
			return requested;
		}
		if (refresh) {
			List<String> previous = previousAudience(context.getAuthorization());
			if (!previous.isEmpty()) {
				return previous;
			}
		}
		return granted;
	}

	private static List<String> previousAudience(@Nullable OAuth2Authorization authorization) {
		OAuth2Authorization.Token<OAuth2AccessToken> previous = (authorization != null)
				? authorization.getAccessToken() : null;
		Object audience = (previous != null && previous.getClaims() != null)
				? previous.getClaims().get(JwtClaimNames.AUD) : null;
		List<String> values = new ArrayList<>();
		if (audience instanceof Collection<?> collection) {
			collection.forEach((value) -> values.add(String.valueOf(value)));
		}
		else if (audience instanceof String single) {
			values.add(single);
		}
		return values;
	}

}
