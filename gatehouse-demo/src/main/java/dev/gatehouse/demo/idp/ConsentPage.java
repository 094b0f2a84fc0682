package dev.gatehouse.demo.idp;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.MediaType;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.core.endpoint.OAuth2ParameterNames;
import org.springframework.security.oauth2.core.oidc.OidcScopes;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.util.HtmlUtils;

/**
 * The consent page ({@value #PATH}, Spring Authorization Server's {@code consentPage}), with every requested scope
 * ticked. Spring's default page starts with every box unticked, so that pressing its button, as most people do,
 * grants nothing and ends in {@code access_denied}. Here the user unticks what they do not grant; Cancel is its own
 * form and posts no scope (the server then answers {@code access_denied}).
 *
 * <p>
 * Spring redirects here with the requested {@code scope}, {@code client_id} and {@code state}; the form posts them
 * back to the authorization endpoint, which checks them. {@code openid} is not shown: Spring grants it whenever it is
 * requested, as its own page does. A request without a known client or a state gets 400 with the reason.
 *
 * @see <a href="https://docs.spring.io/spring-authorization-server/reference/guides/how-to-custom-consent-page.html">
 * Spring Authorization Server: a custom consent page</a>
 */
final class ConsentPage extends OncePerRequestFilter {

	static final String PATH = "/oauth2/consent";

	private final RegisteredClientRepository clients;

	private final String authorizationEndpoint;

	ConsentPage(RegisteredClientRepository clients, String authorizationEndpoint) {
		this.clients = clients;
		this.authorizationEndpoint = authorizationEndpoint;
	}

	@Override
	protected boolean shouldNotFilter(HttpServletRequest request) {
		return !("GET".equals(request.getMethod()) && PATH.equals(request.getRequestURI()));
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		String clientId = request.getParameter(OAuth2ParameterNames.CLIENT_ID);
		String state = request.getParameter(OAuth2ParameterNames.STATE);
		RegisteredClient client = (clientId != null) ? this.clients.findByClientId(clientId) : null;
		if (client == null || state == null || state.isBlank()) {
			response.sendError(HttpServletResponse.SC_BAD_REQUEST,
					"The consent page needs the client_id of a registered client and the state of its request");
			return;
		}
		Authentication user = SecurityContextHolder.getContext().getAuthentication();
		String html = page(client, (user != null) ? user.getName() : "", scopes(request), state);
		response.setContentType(MediaType.TEXT_HTML_VALUE);
		response.setCharacterEncoding(StandardCharsets.UTF_8.name());
		response.setHeader("Cache-Control", "no-store");
		response.getWriter().write(html);
	}

	/** The requested scopes, in order, without {@code openid}. */
	static List<String> scopes(HttpServletRequest request) {
		Set<String> scopes = new LinkedHashSet<>();
		String[] values = request.getParameterValues(OAuth2ParameterNames.SCOPE);
		if (values != null) {
			for (String value : values) {
				for (String scope : value.trim().split("\\s+")) {
					if (!scope.isEmpty() && !OidcScopes.OPENID.equals(scope)) {
						scopes.add(scope);
					}
				}
			}
		}
		return new ArrayList<>(scopes);
	}

	private String page(RegisteredClient client, String user, List<String> scopes, String state) {
		String hidden = hidden(OAuth2ParameterNames.CLIENT_ID, client.getClientId())
				+ hidden(OAuth2ParameterNames.STATE, state);
		StringBuilder boxes = new StringBuilder();
		for (String scope : scopes) {
			boxes.append("    <p><label><input type=\"checkbox\" name=\"scope\" value=\"")
				.append(escape(scope))
				.append("\" checked> <code>")
				.append(escape(scope))
				.append("</code></label></p>\n");
		}
		String action = escape(this.authorizationEndpoint);
		return """
				<!DOCTYPE html>
				<html lang="en">
				<head><meta charset="utf-8"><title>Consent required</title></head>
				<body>
				  <h1>Consent required</h1>
				  <p><strong>%s</strong> asks to act for <strong>%s</strong> with these permissions.
				    Untick any you do not grant.</p>
				  <form name="consent_form" id="consent_form" method="post" action="%s">
				%s%s    <button type="submit" id="submit-consent">Submit Consent</button>
				  </form>
				  <form name="cancel_form" id="cancel_form" method="post" action="%s">
				%s    <button type="submit" id="cancel-consent">Cancel</button>
				  </form>
				</body>
				</html>
				""".formatted(escape(client.getClientName()), escape(user), action, hidden, boxes, action, hidden);
	}

	private static String hidden(String name, String value) {
		return "    <input type=\"hidden\" name=\"" + name + "\" value=\"" + escape(value) + "\">\n";
	}

	private static String escape(String text) {
		return HtmlUtils.htmlEscape(text, StandardCharsets.UTF_8.name());
	}

}
