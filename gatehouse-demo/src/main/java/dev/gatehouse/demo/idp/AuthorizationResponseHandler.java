package dev.gatehouse.demo.idp;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpStatus;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.endpoint.OAuth2ParameterNames;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationException;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationToken;
import org.springframework.security.web.DefaultRedirectStrategy;
import org.springframework.security.web.RedirectStrategy;
import org.springframework.security.web.authentication.AuthenticationFailureHandler;
import org.springframework.security.web.authentication.AuthenticationSuccessHandler;
import org.springframework.util.StringUtils;
import org.springframework.web.util.UriComponentsBuilder;
import org.springframework.web.util.UriUtils;

/**
 * The redirect back to the client that ends an authorization request, successful
 * ({@code code}, {@code state}) or not ({@code error}, {@code error_description},
 * {@code error_uri}, {@code state}), as Spring Authorization Server's
 * {@code OAuth2AuthorizationEndpointFilter} sends it, plus the RFC 9207 {@code iss}
 * parameter when enabled. Spring 7.0 has no {@code iss}; its two redirect methods are
 * private, hence this copy. Errors without a usable redirect URI stay a 400 page, as in
 * Spring.
 *
 * @see <a href="https://datatracker.ietf.org/doc/html/rfc9207#section-2">RFC 9207 section
 * 2</a>
 * @see <a href="https://datatracker.ietf.org/doc/html/rfc6749#section-4.1.2">RFC 6749
 * section 4.1.2 and 4.1.2.1</a>
 */
final class AuthorizationResponseHandler implements AuthenticationSuccessHandler, AuthenticationFailureHandler {

	static final String ISS = "iss";

	private final RedirectStrategy redirectStrategy = new DefaultRedirectStrategy();

	private final @Nullable String issuer;

	/**
	 * @param issuer the value of {@code iss}, or {@code null} to send none
	 */
	AuthorizationResponseHandler(@Nullable String issuer) {
		this.issuer = issuer;
	}

	@Override
	public void onAuthenticationSuccess(HttpServletRequest request, HttpServletResponse response,
			Authentication authentication) throws IOException {
		OAuth2AuthorizationCodeRequestAuthenticationToken result = (OAuth2AuthorizationCodeRequestAuthenticationToken) authentication;
		UriComponentsBuilder redirect = UriComponentsBuilder.fromUriString(String.valueOf(result.getRedirectUri()))
			.queryParam(OAuth2ParameterNames.CODE, result.getAuthorizationCode().getTokenValue());
		send(request, response, redirect, result.getState());
	}

	@Override
	public void onAuthenticationFailure(HttpServletRequest request, HttpServletResponse response,
			AuthenticationException exception) throws IOException {
		OAuth2Error error = ((OAuth2AuthenticationException) exception).getError();
		OAuth2AuthorizationCodeRequestAuthenticationToken failed = (exception instanceof OAuth2AuthorizationCodeRequestAuthenticationException codeRequestException)
				? codeRequestException.getAuthorizationCodeRequestAuthentication() : null;
		if (failed == null || !StringUtils.hasText(failed.getRedirectUri())) {
			// The redirect URI is unknown or not validated: never redirect to it.
			response.sendError(HttpStatus.BAD_REQUEST.value(), error.toString());
			return;
		}
		UriComponentsBuilder redirect = UriComponentsBuilder.fromUriString(failed.getRedirectUri())
			.queryParam(OAuth2ParameterNames.ERROR, error.getErrorCode());
		if (StringUtils.hasText(error.getDescription())) {
			redirect.queryParam(OAuth2ParameterNames.ERROR_DESCRIPTION, encode(error.getDescription()));
		}
		if (StringUtils.hasText(error.getUri())) {
			redirect.queryParam(OAuth2ParameterNames.ERROR_URI, encode(error.getUri()));
		}
		send(request, response, redirect, failed.getState());
	}

	private void send(HttpServletRequest request, HttpServletResponse response, UriComponentsBuilder redirect,
			@Nullable String state) throws IOException {
		if (StringUtils.hasText(state)) {
			redirect.queryParam(OAuth2ParameterNames.STATE, encode(state));
		}
		if (this.issuer != null) {
			redirect.queryParam(ISS, encode(this.issuer));
		}
		// build(true): every component is already encoded.
		this.redirectStrategy.sendRedirect(request, response, redirect.build(true).toUriString());
	}

	private static String encode(String value) {
		return UriUtils.encode(value, StandardCharsets.UTF_8);
	}

}
