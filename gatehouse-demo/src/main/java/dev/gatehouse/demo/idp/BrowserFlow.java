package dev.gatehouse.demo.idp;

import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

import org.springframework.web.util.UriComponentsBuilder;

import dev.gatehouse.demo.idp.HeadlessLogin.AuthorizationCode;
import dev.gatehouse.demo.idp.HeadlessLoginException.Step;

/**
 * One authorization request driven like a browser: start at the authorization endpoint,
 * follow redirects, fill the login form (CSRF token included), approve (or cancel) a
 * consent form if one appears, and stop at the client's redirect URI without calling it.
 * There it checks {@code state}, and {@code iss} when the response carries one (RFC 9207:
 * it must be the issuer the request was sent to). Not thread-safe: one instance per login,
 * with its own cookies.
 *
 * @see <a href="https://datatracker.ietf.org/doc/html/rfc9207#section-2.4">RFC 9207
 * section 2.4</a>
 */
final class BrowserFlow {

	private static final int MAX_RESPONSES = 12;

	private final HttpExchanges browser;

	private final String redirectUri;

	private final String state;

	private final Pkce pkce;

	private final String issuer;

	private final boolean approveConsent;

	private Step step = Step.AUTHORIZATION_REQUEST;

	private boolean credentialsPosted;

	private boolean consentPosted;

	BrowserFlow(HttpExchanges browser, String redirectUri, String state, Pkce pkce, String issuer,
			boolean approveConsent) {
		this.browser = browser;
		this.redirectUri = redirectUri;
		this.state = state;
		this.pkce = pkce;
		this.issuer = issuer;
		this.approveConsent = approveConsent;
	}

	/**
	 * Runs the flow.
	 * @param authorizationRequest the full authorization request URI
	 * @param username the username to type
	 * @param password the password to type
	 * @return the code and the verifier that goes with it
	 */
	AuthorizationCode run(URI authorizationRequest, String username, String password) {
		HttpResponse<String> response = this.browser.get(authorizationRequest, this.step);
		for (int count = 1; count <= MAX_RESPONSES; count++) {
			Optional<URI> location = location(response);
			if (location.isPresent()) {
				if (isRedirectUri(location.get())) {
					return authorizationResponse(location.get(), response.statusCode());
				}
				rejectIfLoginFailed(response, location.get());
				response = this.browser.get(location.get(), this.step);
			}
			else {
				response = submitPage(response, username, password);
			}
		}
		throw new HeadlessLoginException(this.step, response.statusCode(), null,
				"no redirect to " + this.redirectUri + " after " + MAX_RESPONSES + " responses");
	}

	private HttpResponse<String> submitPage(HttpResponse<String> page, String username, String password) {
		if (page.statusCode() != 200) {
			throw new HeadlessLoginException(this.step, page.statusCode(), null,
					"unexpected response from " + HttpExchanges.withoutQuery(page.uri()));
		}
		HtmlForm login = HtmlForm.loginForm(page.body());
		if (login != null) {
			this.step = Step.LOGIN;
			if (this.credentialsPosted) {
				throw new HeadlessLoginException(Step.LOGIN, page.statusCode(), null,
						"the login form came back after the credentials were posted");
			}
			this.credentialsPosted = true;
			return this.browser.postForm(target(page, login), login.credentials(username, password), null, Step.LOGIN);
		}
		HtmlForm consent = HtmlForm.consentForm(page.body());
		if (consent != null && !this.consentPosted) {
			this.step = Step.CONSENT;
			this.consentPosted = true;
			return this.browser.postForm(target(page, consent),
					this.approveConsent ? consent.approveAll() : consent.cancel(), null, Step.CONSENT);
		}
		throw new HeadlessLoginException(this.step, page.statusCode(), null,
				"unexpected page at " + HttpExchanges.withoutQuery(page.uri()));
	}

	/**
	 * Spring Security answers wrong credentials with a redirect to
	 * {@code /login?error}.
	 */
	private void rejectIfLoginFailed(HttpResponse<String> response, URI location) {
		if (this.step == Step.LOGIN && location.getRawQuery() != null
				&& UriComponentsBuilder.fromUri(location).build().getQueryParams().containsKey("error")) {
			throw new HeadlessLoginException(Step.LOGIN, response.statusCode(), null,
					"the identity provider refused the credentials (redirect to "
							+ HttpExchanges.withoutQuery(location) + "?error)");
		}
	}

	private AuthorizationCode authorizationResponse(URI location, int status) {
		this.step = Step.AUTHORIZATION_RESPONSE;
		Map<String, String> parameters = queryParameters(location);
		String issued = parameters.get(AuthorizationResponseHandler.ISS);
		if (issued != null && !issued.equals(this.issuer)) {
			throw new HeadlessLoginException(Step.AUTHORIZATION_RESPONSE, status, null,
					"the iss parameter '" + issued + "' is not the issuer '" + this.issuer + "'");
		}
		String error = parameters.get("error");
		if (error != null) {
			String description = parameters.get("error_description");
			throw new HeadlessLoginException(Step.AUTHORIZATION_RESPONSE, status, error,
					"the authorization server redirected with an error"
							+ ((description != null) ? " (" + description + ")" : ""));
		}
		String returnedState = parameters.get("state");
		if (returnedState == null || !MessageDigest.isEqual(returnedState.getBytes(StandardCharsets.UTF_8),
				this.state.getBytes(StandardCharsets.UTF_8))) {
			throw new HeadlessLoginException(Step.AUTHORIZATION_RESPONSE, status, null,
					"the state parameter does not match");
		}
		String code = parameters.get("code");
		if (code == null || code.isEmpty()) {
			throw new HeadlessLoginException(Step.AUTHORIZATION_RESPONSE, status, null, "no code in the redirect");
		}
		return new AuthorizationCode(code, this.pkce.verifier(), this.redirectUri, issued);
	}

	private boolean isRedirectUri(URI location) {
		return HttpExchanges.withoutQuery(location).equals(HttpExchanges.withoutQuery(URI.create(this.redirectUri)));
	}

	private static Optional<URI> location(HttpResponse<String> response) {
		int status = response.statusCode();
		if (status < 300 || status > 399) {
			return Optional.empty();
		}
		return response.headers().firstValue("Location").map((value) -> response.uri().resolve(value));
	}

	private static URI target(HttpResponse<String> page, HtmlForm form) {
		return form.action().isEmpty() ? page.uri() : page.uri().resolve(form.action());
	}

	private static Map<String, String> queryParameters(URI uri) {
		Map<String, String> parameters = new LinkedHashMap<>();
		UriComponentsBuilder.fromUri(uri).build().getQueryParams().forEach((name, values) -> {
			String value = values.isEmpty() ? null : values.get(0);
			parameters.put(name, decode(value));
		});
		return parameters;
	}

	private static String decode(@Nullable String value) {
		return (value != null) ? URLDecoder.decode(value, StandardCharsets.UTF_8) : "";
	}

}
