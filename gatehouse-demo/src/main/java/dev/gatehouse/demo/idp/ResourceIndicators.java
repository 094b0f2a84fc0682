package dev.gatehouse.demo.idp;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.jspecify.annotations.Nullable;

import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.endpoint.OAuth2AuthorizationRequest;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationContext;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationException;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationGrantAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;

/**
 * RFC 8707 resource indicators: reading the {@code resource} parameter that Spring
 * Authorization Server keeps among a request's "additional parameters", and checking it.
 *
 * <p>
 * Spring Authorization Server stores an additional parameter given once as a
 * {@code String} and one given several times as a {@code String[]}; both forms are read
 * here. A value must be an absolute URI without a fragment, otherwise the request fails
 * with {@code invalid_target}.
 *
 * @see <a href="https://datatracker.ietf.org/doc/html/rfc8707#section-2">RFC 8707 section
 * 2</a>
 */
final class ResourceIndicators {

	static final String PARAMETER = "resource";

	static final String INVALID_TARGET = "invalid_target";

	private static final String ERROR_URI = "https://datatracker.ietf.org/doc/html/rfc8707#section-2";

	private ResourceIndicators() {
	}

	/**
	 * The {@code resource} values among a request's additional parameters.
	 * @param parameters the additional parameters
	 * @return the distinct values in request order; empty if there are none
	 */
	static List<String> of(Map<String, Object> parameters) {
		Object value = parameters.get(PARAMETER);
		Set<String> values = new LinkedHashSet<>();
		if (value instanceof String single) {
			values.add(single);
		}
		else if (value instanceof String[] several) {
			values.addAll(List.of(several));
		}
		else if (value instanceof Collection<?> collection) {
			collection.forEach((item) -> values.add(String.valueOf(item)));
		}
		return new ArrayList<>(values);
	}

	/**
	 * The resources a token request asked for.
	 * @param grant the grant of the token request (code, refresh token, ...), may be
	 * {@code null}
	 * @return the values, empty if none
	 */
	static List<String> ofGrant(@Nullable Authentication grant) {
		if (grant instanceof OAuth2AuthorizationGrantAuthenticationToken token) {
			return of(token.getAdditionalParameters());
		}
		return List.of();
	}

	/**
	 * The resources the authorization request of a grant asked for.
	 * @param authorization the authorization, may be {@code null}
	 * @return the values, empty if none or if the grant had no authorization request
	 */
	static List<String> ofAuthorizationRequest(@Nullable OAuth2Authorization authorization) {
		if (authorization == null) {
			return List.of();
		}
		OAuth2AuthorizationRequest request = authorization.getAttribute(OAuth2AuthorizationRequest.class.getName());
		return (request != null) ? of(request.getAdditionalParameters()) : List.of();
	}

	/**
	 * The first value that is not an absolute URI without fragment.
	 * @param resources the values
	 * @return the offending value, or {@code null} if all are valid
	 */
	static @Nullable String firstInvalid(List<String> resources) {
		for (String resource : resources) {
			if (!isValid(resource)) {
				return resource;
			}
		}
		return null;
	}

	static boolean isValid(String resource) {
		try {
			URI uri = new URI(resource);
			return uri.isAbsolute() && uri.getRawFragment() == null;
		}
		catch (URISyntaxException ex) {
			return false;
		}
	}

	static OAuth2Error invalidTarget(String description) {
		return new OAuth2Error(INVALID_TARGET, description, ERROR_URI);
	}

	/**
	 * Authorization request check, added to Spring Authorization Server's redirect URI and
	 * scope checks: an invalid {@code resource} is sent back to the client's redirect URI
	 * as {@code error=invalid_target}, before the user is asked to log in.
	 * @param context the request being validated
	 * @throws OAuth2AuthorizationCodeRequestAuthenticationException with
	 * {@code invalid_target}
	 */
	static void validateAuthorizationRequest(OAuth2AuthorizationCodeRequestAuthenticationContext context) {
		OAuth2AuthorizationCodeRequestAuthenticationToken request = context.getAuthentication();
		String invalid = firstInvalid(of(request.getAdditionalParameters()));
		if (invalid == null) {
			return;
		}
		RegisteredClient client = context.getRegisteredClient();
		// As Spring Authorization Server does for its own errors: the redirect URI is
		// already validated here, so the error goes back to the client.
		String redirectUri = (request.getRedirectUri() != null) ? request.getRedirectUri()
				: client.getRedirectUris().iterator().next();
		OAuth2AuthorizationCodeRequestAuthenticationToken result = new OAuth2AuthorizationCodeRequestAuthenticationToken(
				request.getAuthorizationUri(), request.getClientId(), (Authentication) request.getPrincipal(),
				redirectUri, request.getState(), request.getScopes(), request.getAdditionalParameters());
		result.setAuthenticated(true);
		throw new OAuth2AuthorizationCodeRequestAuthenticationException(
				invalidTarget("resource must be an absolute URI without a fragment"), result);
	}

}
