package dev.gatehouse.demo.idp;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

import com.nimbusds.jwt.SignedJWT;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.core.endpoint.OAuth2ParameterNames;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientAuthenticationToken;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.web.util.ContentCachingResponseWrapper;

/**
 * What tests observe of the token and revocation endpoints, and the switch that takes the
 * token endpoint down. The first filter of the authorization server's chain: it sees every
 * request, and the status and error code of every answer, of {@code POST /oauth2/token}
 * and {@code POST /oauth2/revoke}.
 *
 * <p>
 * It records only what a test may compare (grant type, client id, authentication method,
 * resources, scope, status, error code): never a code, verifier, secret, assertion or
 * token. The client that Spring authenticated is learned from
 * {@link #clientAuthenticated(HttpServletRequest, HttpServletResponse, Authentication)},
 * installed as the client authentication success handler. Thread-safe; one instance
 * outlives restarts of the provider.
 *
 * @see <a href="https://datatracker.ietf.org/doc/html/rfc6749#section-5.2">RFC 6749
 * section 5.2</a>
 * @see <a href="https://datatracker.ietf.org/doc/html/rfc7009#section-2.2">RFC 7009
 * section 2.2</a>
 */
final class TokenEndpointObserver implements Filter {

	static final String TOKEN_ENDPOINT = "/oauth2/token";

	static final String REVOCATION_ENDPOINT = "/oauth2/revoke";

	private static final String AUTHENTICATED_CLIENT = TokenEndpointObserver.class.getName() + ".client";

	private static final byte[] OUTAGE_BODY = "{\"error\":\"temporarily_unavailable\"}"
		.getBytes(StandardCharsets.UTF_8);

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final RequestMatcher tokenRequests = PathPatternRequestMatcher.withDefaults()
		.matcher(HttpMethod.POST, TOKEN_ENDPOINT);

	private final RequestMatcher revocationRequests = PathPatternRequestMatcher.withDefaults()
		.matcher(HttpMethod.POST, REVOCATION_ENDPOINT);

	private final List<TokenRequest> requests = new CopyOnWriteArrayList<>();

	private final AtomicLong revocations = new AtomicLong();

	private volatile boolean outage;

	List<TokenRequest> tokenRequests() {
		return List.copyOf(this.requests);
	}

	long revocations() {
		return this.revocations.get();
	}

	void outage(boolean down) {
		this.outage = down;
	}

	@Override
	public void doFilter(ServletRequest servletRequest, ServletResponse servletResponse, FilterChain chain)
			throws IOException, ServletException {
		HttpServletRequest request = (HttpServletRequest) servletRequest;
		HttpServletResponse response = (HttpServletResponse) servletResponse;
		if (this.tokenRequests.matches(request)) {
			observeTokenRequest(request, response, chain);
		}
		else if (this.revocationRequests.matches(request)) {
			chain.doFilter(request, response);
			if (response.getStatus() == HttpServletResponse.SC_OK) {
				this.revocations.incrementAndGet();
			}
		}
		else {
			chain.doFilter(request, response);
		}
	}

	private void observeTokenRequest(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws IOException, ServletException {
		if (this.outage) {
			response.setStatus(HttpServletResponse.SC_SERVICE_UNAVAILABLE);
			response.setContentType(MediaType.APPLICATION_JSON_VALUE);
			response.setHeader(HttpHeaders.CACHE_CONTROL, "no-store");
			response.getOutputStream().write(OUTAGE_BODY);
			record(request, HttpServletResponse.SC_SERVICE_UNAVAILABLE, "temporarily_unavailable");
			return;
		}
		ContentCachingResponseWrapper captured = new ContentCachingResponseWrapper(response);
		try {
			chain.doFilter(request, captured);
		}
		finally {
			record(request, captured.getStatus(), errorCode(captured));
			captured.copyBodyToResponse();
		}
	}

	private void record(HttpServletRequest request, int status, @Nullable String error) {
		String grantType = request.getParameter(OAuth2ParameterNames.GRANT_TYPE);
		String[] resources = request.getParameterValues(ResourceIndicators.PARAMETER);
		String clientId;
		String method;
		Object authenticated = request.getAttribute(AUTHENTICATED_CLIENT);
		if (authenticated instanceof OAuth2ClientAuthenticationToken client) {
			clientId = (client.getRegisteredClient() != null) ? client.getRegisteredClient().getClientId()
					: String.valueOf(client.getPrincipal());
			method = client.getClientAuthenticationMethod().getValue();
		}
		else {
			PresentedClient presented = PresentedClient.of(request);
			clientId = presented.clientId();
			method = presented.method();
		}
		this.requests.add(new TokenRequest((grantType != null) ? grantType : "", clientId, method,
				(resources != null) ? List.of(resources) : List.of(), request.getParameter(OAuth2ParameterNames.SCOPE),
				status, error));
	}

	private static @Nullable String errorCode(ContentCachingResponseWrapper response) {
		byte[] body = response.getContentAsByteArray();
		if (response.getStatus() < 400 || body.length == 0) {
			return null;
		}
		try {
			JsonNode json = JSON.readTree(body);
			JsonNode error = (json != null) ? json.get(OAuth2ParameterNames.ERROR) : null;
			return (error != null && error.isString()) ? error.stringValue() : null;
		}
		catch (JacksonException ex) {
			return null;
		}
	}

	/**
	 * The client authentication success handler: does what Spring's default does (puts
	 * the client in a new security context) and remembers the client for the record.
	 * @param request the token, revocation or introspection request
	 * @param response the response
	 * @param authentication the authenticated {@link OAuth2ClientAuthenticationToken}
	 */
	void clientAuthenticated(HttpServletRequest request, HttpServletResponse response,
			Authentication authentication) {
		SecurityContext context = SecurityContextHolder.createEmptyContext();
		context.setAuthentication(authentication);
		SecurityContextHolder.setContext(context);
		request.setAttribute(AUTHENTICATED_CLIENT, authentication);
	}

	/**
	 * The client a request names and how, read from its shape only: for requests Spring
	 * refused before authenticating the client, or never saw (outage).
	 */
	private record PresentedClient(@Nullable String clientId, String method) {

		static PresentedClient of(HttpServletRequest request) {
			String authorization = request.getHeader(HttpHeaders.AUTHORIZATION);
			if (authorization != null && authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
				return new PresentedClient(basicUser(authorization.substring(6).trim()), DemoClient.CLIENT_SECRET_BASIC);
			}
			String clientId = request.getParameter(OAuth2ParameterNames.CLIENT_ID);
			String assertion = request.getParameter(OAuth2ParameterNames.CLIENT_ASSERTION);
			if (assertion != null) {
				return new PresentedClient((clientId != null) ? clientId : assertionSubject(assertion),
						DemoClient.PRIVATE_KEY_JWT);
			}
			if (request.getParameter(OAuth2ParameterNames.CLIENT_SECRET) != null) {
				return new PresentedClient(clientId, DemoClient.CLIENT_SECRET_POST);
			}
			if (clientId != null) {
				return new PresentedClient(clientId, DemoClient.NONE);
			}
			return new PresentedClient(null, TokenRequest.UNAUTHENTICATED);
		}

		private static @Nullable String basicUser(String credentials) {
			try {
				String decoded = new String(Base64.getDecoder().decode(credentials), StandardCharsets.UTF_8);
				int colon = decoded.indexOf(':');
				return URLDecoder.decode((colon < 0) ? decoded : decoded.substring(0, colon), StandardCharsets.UTF_8);
			}
			catch (IllegalArgumentException ex) {
				return null;
			}
		}

		/**
		 * The {@code sub} of an RFC 7523 assertion, read without verifying it (only to
		 * name the client in the record).
		 */
		private static @Nullable String assertionSubject(String assertion) {
			try {
				return SignedJWT.parse(assertion).getJWTClaimsSet().getSubject();
			}
			catch (ParseException ex) {
				return null;
			}
		}

	}

}
