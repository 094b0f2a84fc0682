package dev.gatehouse.server.access;

import java.io.IOException;
import java.time.Clock;
import java.util.LinkedHashSet;
import java.util.Set;

import dev.gatehouse.core.access.Caller;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.EnableWebSecurity;
import org.springframework.security.config.observation.SecurityObservationSettings;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.client.oidc.authentication.OidcIdTokenDecoderFactory;
import org.springframework.security.oauth2.client.oidc.authentication.OidcIdTokenValidator;
import org.springframework.security.oauth2.client.oidc.userinfo.OidcUserRequest;
import org.springframework.security.oauth2.client.oidc.userinfo.OidcUserService;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.client.registration.ClientRegistrationRepository;
import org.springframework.security.oauth2.client.userinfo.OAuth2UserService;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.oidc.user.DefaultOidcUser;
import org.springframework.security.oauth2.core.oidc.user.OidcUser;
import org.springframework.security.oauth2.jwt.JwtDecoderFactory;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.AnonymousAuthenticationFilter;
import org.springframework.security.web.firewall.StrictHttpFirewall;
import org.springframework.security.web.header.writers.ReferrerPolicyHeaderWriter;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Who may reach what, in three chains:
 * <ol>
 * <li>{@code /mcp}, the protected resource metadata, {@code /actuator/health} and error pages: the MCP servlet
 * authenticates every request itself (bearer JWT); nothing here. (The other actuator endpoints have a chain of their
 * own before these, behind the management token: {@code monitor.ManagementEndpointsSecurity}.)</li>
 * <li>{@code /admin/api/**}: the admin role, from a bearer JWT or from a logged-in browser session; refusals are
 * problem details (401 with a {@code Bearer} challenge, 403); CSRF for session requests.</li>
 * <li>pages ({@code /admin}, {@code /me/**}, later the consent pages): OIDC login with the configured provider
 * ({@code spring.security.oauth2.client.*}), roles from the ID token's claims through the policy's role
 * mappings, CSRF on every form, logout, no framing.</li>
 * </ol>
 * In the development local-user mode a request with no other credential acts as the local user.
 */
@Configuration(proxyBeanMethods = false)
@EnableWebSecurity
class SecurityConfiguration {

	/**
	 * No Spring Security observations (the {@code spring.security.filterchains} and
	 * {@code spring.security.authorizations} timers): they wrapped each of the ten filters of every request in
	 * observation start, stop and event calls, about 10 % of the CPU of a {@code tools/call}. The gateway's own
	 * metrics and spans (see {@code docs/operations.md}) and Spring's {@code http.server.requests} are kept.
	 */
	@Bean
	static SecurityObservationSettings securityObservationSettings() {
		return SecurityObservationSettings.noObservations();
	}

	/** The default firewall, with its header rules checked without regular expressions ({@link HeaderValues}). */
	@Bean
	static StrictHttpFirewall httpFirewall() {
		return HeaderValues.firewall();
	}

	@Bean
	@Order(1)
	SecurityFilterChain machineEndpoints(HttpSecurity http) throws Exception {
		// Nothing here authenticates or authorizes (the servlet does, per request), so the chain keeps only the
		// firewall and the security headers: no authorization filter (it permitted everything), no security context
		// (nothing reads it on these paths), no session management, request wrapper, exception translation,
		// anonymous user or logout (POST /logout is the pages' chain). Each of them ran on every tools/call.
		http.securityMatcher("/mcp", "/.well-known/**", "/actuator/**", "/error")
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

	@Bean
	@Order(2)
	SecurityFilterChain adminApi(HttpSecurity http, InboundAuthenticator authenticator, AccessSettings settings,
			dev.gatehouse.server.audit.AuditTrail audit) throws Exception {
		RefusalAudit refusals = new RefusalAudit(audit);
		http.securityMatcher("/admin/api/**")
			.addFilterBefore(new BearerFilter(authenticator, settings), AnonymousAuthenticationFilter.class)
			.addFilterBefore(new LocalUserFilter(settings), AnonymousAuthenticationFilter.class)
			.authorizeHttpRequests((a) -> a.anyRequest().hasRole("admin"))
			.csrf((c) -> c.ignoringRequestMatchers((request) -> request.getHeader("Authorization") != null
					|| settings.localUserEnabled()))
			.requestCache((r) -> r.disable())
			.exceptionHandling((e) -> e.authenticationEntryPoint(refusals.entryPoint((request, response, ex) -> {
				response.setHeader("WWW-Authenticate", settings.challenge(null, null, settings.requiredScopes()));
				Problems.write(response, 401, "unauthorized", "Unauthorized",
						"the admin API needs a bearer token or a logged-in session with the admin role");
			}, "no credential: the admin API needs a bearer token or a logged-in session"))
				.accessDeniedHandler(refusals.deniedHandler((request, response, ex) -> Problems.write(response, 403,
						"forbidden", "Forbidden", (ex instanceof org.springframework.security.web.csrf.CsrfException)
								? "the request's CSRF token is missing or wrong (a session request must carry it)"
								: "the admin API needs the admin role"),
						"the admin API needs the admin role")));
		return http.build();
	}

	@Bean
	@Order(3)
	SecurityFilterChain pages(HttpSecurity http, AccessSettings settings,
			ObjectProvider<ClientRegistrationRepository> registrations, PolicyService policies,
			dev.gatehouse.server.audit.AuditTrail audit) throws Exception {
		boolean login = registrations.getIfAvailable() != null;
		RefusalAudit refusals = new RefusalAudit(audit);
		http.exceptionHandling((e) -> e.accessDeniedHandler(refusals.deniedHandler(
				new org.springframework.security.web.access.AccessDeniedHandlerImpl(), "the page needs the admin role")));
		http.addFilterBefore(new LocalUserFilter(settings), AnonymousAuthenticationFilter.class)
			.authorizeHttpRequests((a) -> a
				.requestMatchers("/", "/login/**", "/oauth2/**", "/oauth/callback/**", "/oauth/jwks", "/css/**",
						"/favicon.ico")
				.permitAll()
				.requestMatchers("/admin", "/admin/**")
				.hasRole("admin")
				.anyRequest()
				.authenticated())
			.headers((h) -> h.frameOptions((f) -> f.deny())
				.contentSecurityPolicy((c) -> c.policyDirectives(
						"default-src 'self'; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'; form-action 'self' *"))
				.referrerPolicy((r) -> r.policy(ReferrerPolicyHeaderWriter.ReferrerPolicy.NO_REFERRER)))
			.logout((l) -> l.logoutSuccessUrl("/"));
		if (login) {
			org.springframework.security.web.authentication.SavedRequestAwareAuthenticationSuccessHandler success =
					new org.springframework.security.web.authentication.SavedRequestAwareAuthenticationSuccessHandler();
			org.springframework.security.web.authentication.SimpleUrlAuthenticationFailureHandler failure =
					new org.springframework.security.web.authentication.SimpleUrlAuthenticationFailureHandler(
							"/login?error");
			http.oauth2Login((o) -> o.userInfoEndpoint((u) -> u.oidcUserService(oidcUserService(policies)))
				.successHandler((request, response, authentication) -> {
					if (authentication.getPrincipal() instanceof OidcUser user) {
						audit.event("login", java.util.Map.of("issuer", user.getIssuer().toString(), "subject",
								user.getSubject(), "outcome", "success"));
					}
					success.onAuthenticationSuccess(request, response, authentication);
				})
				.failureHandler((request, response, ex) -> {
					audit.event("login_failed", java.util.Map.of("outcome", "failed", "reason",
							ex.getClass().getSimpleName()));
					failure.onAuthenticationFailure(request, response, ex);
				}));
		}
		else {
			http.exceptionHandling((e) -> e.authenticationEntryPoint(refusals.entryPoint((request, response,
					ex) -> response.sendError(401, "No login is configured: set spring.security.oauth2.client.registration.* "
							+ "for your identity provider"), "no login is configured for pages")));
		}
		return http.build();
	}

	/**
	 * ID tokens of people's logins are checked against the gateway's clock, like every other expiry (Spring's
	 * default validator reads the system clock).
	 */
	@Bean
	JwtDecoderFactory<ClientRegistration> idTokenDecoderFactory(
			Clock clock) {
		OidcIdTokenDecoderFactory factory = new OidcIdTokenDecoderFactory();
		factory.setJwtValidatorFactory((registration) -> {
			OidcIdTokenValidator validator = new OidcIdTokenValidator(
					registration);
			validator.setClock(clock);
			JwtTimestampValidator timestamps = new JwtTimestampValidator();
			timestamps.setClock(clock);
			return new DelegatingOAuth2TokenValidator<>(timestamps, validator);
		});
		return factory;
	}

	/** Roles of people come from their ID token's claims, mapped by the policy in force, like agents' roles. */
	static OAuth2UserService<OidcUserRequest, OidcUser> oidcUserService(PolicyService policies) {
		OidcUserService delegate = new OidcUserService();
		return (request) -> {
			OidcUser user = delegate.loadUser(request);
			Set<GrantedAuthority> authorities = new LinkedHashSet<>(user.getAuthorities());
			for (String role : policies.current().evaluator().roles(user.getClaims())) {
				authorities.add(new SimpleGrantedAuthority("ROLE_" + role));
			}
			return new DefaultOidcUser(authorities, user.getIdToken(), user.getUserInfo(), "sub");
		};
	}

	/** Authenticates an admin API request that carries a bearer token (and only those). */
	private static final class BearerFilter extends OncePerRequestFilter {

		private final InboundAuthenticator authenticator;

		private final AccessSettings settings;

		BearerFilter(InboundAuthenticator authenticator, AccessSettings settings) {
			this.authenticator = authenticator;
			this.settings = settings;
		}

		@Override
		protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
				throws ServletException, IOException {
			if (request.getHeader("Authorization") != null) {
				try {
					Caller caller = authenticator.authenticate(request);
					SecurityContextHolder.getContext().setAuthentication(new CallerAuthentication(caller));
				}
				catch (AuthenticationRequiredException ex) {
					response.setHeader("WWW-Authenticate", settings.challenge(ex.error(), ex.getMessage(), java.util.List.of()));
					Problems.write(response, ex.status(), "unauthorized", "Unauthorized", ex.getMessage());
					return;
				}
				catch (InsufficientScopeException ex) {
					response.setHeader("WWW-Authenticate",
							settings.challenge("insufficient_scope", ex.getMessage(), ex.requiredScopes()));
					Problems.write(response, 403, "insufficient-scope", "Forbidden", ex.getMessage());
					return;
				}
			}
			chain.doFilter(request, response);
		}
	}

	/** Development only: a request with no other credential acts as the local user (with the admin role). */
	private static final class LocalUserFilter extends OncePerRequestFilter {

		private final AccessSettings settings;

		private final Caller localUser;

		LocalUserFilter(AccessSettings settings) {
			this.settings = settings;
			this.localUser = new Caller(Caller.LOCAL_ISSUER, settings.localUserSubject(), null, Set.of("admin"), Set.of());
		}

		@Override
		protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
				throws ServletException, IOException {
			Authentication current = SecurityContextHolder.getContext().getAuthentication();
			if (settings.localUserEnabled() && (current == null || !current.isAuthenticated())
					&& request.getHeader("Authorization") == null) {
				SecurityContextHolder.getContext().setAuthentication(new CallerAuthentication(localUser));
			}
			chain.doFilter(request, response);
		}
	}

}
