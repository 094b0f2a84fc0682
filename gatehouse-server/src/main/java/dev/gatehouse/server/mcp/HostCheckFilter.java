package dev.gatehouse.server.mcp;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses, with 400 and a problem that names the header, every request whose {@code Host} is not one the gateway
 * answers to (the public URL's host, loopback names, {@code gatehouse.mcp.allowed-hosts}; the same rule as
 * {@link OriginGuard} on {@code /mcp}). Spring builds some absolute URLs from the request (saved requests, the
 * login entry point), and a page reached under a rebound DNS name must not run at all; redirect URIs sent to
 * identity providers come from the public URL regardless (see {@code access.PublicUrlRedirectUris}).
 * <p>
 * Not applied to {@code /mcp} (its servlet answers a bad Host with its own 403) nor to {@code /actuator/**}:
 * load balancers probe health and Prometheus scrapes by address, no browser flow starts there, and every
 * management endpoint but health needs the management token. Thread-safe.
 */
final class HostCheckFilter extends OncePerRequestFilter {

	private final OriginGuard guard;

	HostCheckFilter(OriginGuard guard) {
		this.guard = guard;
	}

	@Override
	protected boolean shouldNotFilter(HttpServletRequest request) {
		String path = request.getRequestURI().substring(request.getContextPath().length());
		return path.equals("/mcp") || path.equals("/actuator") || path.startsWith("/actuator/");
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		Optional<String> refused = guard.checkHost(request.getHeader("Host"));
		if (refused.isPresent()) {
			ObjectNode problem = JsonNodeFactory.instance.objectNode();
			problem.put("type", "https://gatehouse.dev/problems/host-not-allowed");
			problem.put("title", "Bad Request");
			problem.put("status", 400);
			problem.put("detail", refused.get());
			byte[] body = problem.toString().getBytes(StandardCharsets.UTF_8);
			response.setStatus(400);
			response.setContentType("application/problem+json");
			response.setContentLength(body.length);
			response.getOutputStream().write(body);
			return;
		}
		chain.doFilter(request, response);
	}
}
