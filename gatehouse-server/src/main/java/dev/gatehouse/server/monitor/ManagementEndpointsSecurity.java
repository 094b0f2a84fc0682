package dev.gatehouse.server.monitor;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;

import dev.gatehouse.core.crypto.Sha256;
import dev.gatehouse.core.secret.Secret;
import dev.gatehouse.core.secret.SecretRef;
import dev.gatehouse.server.config.GatehouseProperties;
import dev.gatehouse.server.credentials.CredentialUnavailableException;
import dev.gatehouse.server.credentials.SecretResolver;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.header.HeaderWriterFilter;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The management endpoints ({@code /actuator} and {@code /actuator/**} except {@code /actuator/health} and its
 * groups) need {@code Authorization: Bearer <token>} with the token that {@code gatehouse.management.token}
 * refers to; without one configured they are refused. {@code /actuator/health} stays open for load balancers
 * (it tells only {@code UP} or {@code DOWN}). See ADR 0015.
 * <p>
 * Its own filter chain, ordered before the machine-endpoints chain of {@code access.SecurityConfiguration}
 * (which still serves {@code /actuator/health}): the token is not a user's, so no security context, session,
 * CSRF or roles are involved. A refusal is a 401 problem that says what is needed, with no metric in it.
 */
@Configuration(proxyBeanMethods = false)
class ManagementEndpointsSecurity {

	/** Before {@code SecurityConfiguration.machineEndpoints} ({@code @Order(1)}), which also matches {@code /actuator/**}. */
	static final int ORDER = 0;

	@Bean
	@Order(ORDER)
	SecurityFilterChain managementEndpoints(HttpSecurity http, GatehouseProperties properties, SecretResolver secrets)
			throws Exception {
		http.securityMatcher(ManagementEndpointsSecurity::isGuarded)
			.addFilterAfter(new TokenFilter(properties.management().tokenRef(), secrets), HeaderWriterFilter.class)
			.csrf((c) -> c.disable())
			.requestCache((r) -> r.disable())
			.securityContext((c) -> c.disable())
			.sessionManagement((s) -> s.disable())
			.servletApi((a) -> a.disable())
			.exceptionHandling((e) -> e.disable())
			.anonymous((a) -> a.disable())
			.logout((l) -> l.disable());
		return http.build();
	}

	/** {@code /actuator} and everything under it but {@code /actuator/health} and {@code /actuator/health/**}. */
	static boolean isGuarded(HttpServletRequest request) {
		String path = request.getRequestURI().substring(request.getContextPath().length());
		if (!path.equals("/actuator") && !path.startsWith("/actuator/")) {
			return false;
		}
		return !path.equals("/actuator/health") && !path.startsWith("/actuator/health/");
	}

	/** Lets a request through only with the management token. */
	static final class TokenFilter extends OncePerRequestFilter {

		private static final Logger logger = LoggerFactory.getLogger(TokenFilter.class);

		private static final String WHAT = "gatehouse.management.token";

		private final Optional<SecretRef> ref;

		private final SecretResolver secrets;

		TokenFilter(Optional<SecretRef> ref, SecretResolver secrets) {
			this.ref = ref;
			this.secrets = secrets;
		}

		@Override
		protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
				throws ServletException, IOException {
			if (ref.isEmpty()) {
				refuse(response, "the management endpoints are disabled: no management token is configured "
						+ "(gatehouse.management.token); only /actuator/health is open");
				return;
			}
			String header = request.getHeader("Authorization");
			if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7) || header.length() == 7) {
				refuse(response, "the management endpoints need Authorization: Bearer with the management token");
				return;
			}
			Secret expected;
			try {
				expected = secrets.resolve(ref.get(), WHAT);
			}
			catch (CredentialUnavailableException ex) {
				logger.warn("Refused a management request: {}", ex.getMessage());
				refuse(response, "the management token is not available on this instance (see its log)");
				return;
			}
			if (!matches(header.substring(7).strip(), expected)) {
				refuse(response, "the management token is not valid");
				return;
			}
			chain.doFilter(request, response);
		}

		/** Constant-time, whatever the lengths: the digests are compared, never the texts. */
		private static boolean matches(String given, Secret expected) {
			byte[] a = Sha256.digest(given.getBytes(StandardCharsets.UTF_8));
			byte[] b = Sha256.digest(expected.reveal().getBytes(StandardCharsets.UTF_8));
			return MessageDigest.isEqual(a, b);
		}

		private static void refuse(HttpServletResponse response, String detail) throws IOException {
			ObjectNode problem = JsonNodeFactory.instance.objectNode();
			problem.put("type", "https://gatehouse.dev/problems/unauthorized");
			problem.put("title", "Unauthorized");
			problem.put("status", 401);
			problem.put("detail", detail);
			byte[] body = problem.toString().getBytes(StandardCharsets.UTF_8);
			response.setStatus(401);
			response.setHeader("WWW-Authenticate", "Bearer realm=\"gatehouse-management\"");
			response.setHeader("Cache-Control", "no-store");
			response.setContentType("application/problem+json");
			response.setContentLength(body.length);
			response.getOutputStream().write(body);
		}
	}
}
