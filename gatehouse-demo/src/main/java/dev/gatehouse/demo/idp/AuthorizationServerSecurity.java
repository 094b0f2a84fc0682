package dev.gatehouse.demo.idp;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import org.springframework.context.annotation.Bean;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.oauth2.server.authorization.OAuth2AuthorizationServerConfigurer;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationServerMetadata;
import org.springframework.security.oauth2.server.authorization.authentication.JwtClientAssertionAuthenticationProvider;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationContext;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationProvider;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationValidator;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationConsentAuthenticationProvider;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientRegistrationAuthenticationProvider;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.oidc.OidcProviderConfiguration;
import org.springframework.security.oauth2.server.authorization.settings.AuthorizationServerSettings;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.intercept.AuthorizationFilter;
import org.springframework.security.web.authentication.LoginUrlAuthenticationEntryPoint;
import org.springframework.security.web.session.DisableEncodeUrlFilter;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.CorsConfigurationSource;
import org.springframework.web.cors.UrlBasedCorsConfigurationSource;

/**
 * The two security filter chains: the authorization server's endpoints, then form login
 * for everything else (the usual Spring Authorization Server layout).
 *
 * <p>
 * Beyond Spring's defaults: refresh tokens for public clients (see
 * {@link RotatingRefreshTokenGenerator}); open RFC 7591 registration at {@value #REGISTRATION_ENDPOINT}
 * with {@link DynamicClientRegistrations}' policy (and an empty {@code scope} read as none,
 * {@link ClientRegistrationRequestConverter}), advertised in both metadata documents;
 * {@code invalid_target} for a bad RFC 8707 {@code resource} on the authorization request;
 * RFC 9207 {@code iss} on authorization responses ({@link AuthorizationResponseHandler});
 * a consent page with the requested scopes ticked ({@link ConsentPage});
 * codes and client assertions timed by the provider clock ({@link AuthorizationCodeGenerator},
 * {@link ClientAssertionDecoders}); the token endpoint's records and outage switch
 * ({@link TokenEndpointObserver}); the UserInfo claims of {@link DemoUserInfoMapper};
 * metadata that lists what the provider really supports; and CORS for the endpoints a
 * browser-based client (MCP Inspector) calls with {@code fetch}.
 */
class AuthorizationServerSecurity {

	static final String REGISTRATION_ENDPOINT = "/register";

	static final String AUTHORIZATION_ENDPOINT = "/oauth2/authorize";

	static final String LOGIN_PAGE = "/login";

	/** RFC 9207 section 3: the metadata member that announces {@code iss}. */
	static final String ISS_PARAMETER_SUPPORTED = "authorization_response_iss_parameter_supported";

	private static final List<String> GRANT_TYPES = List.of("authorization_code", "refresh_token");

	private static final List<String> CLIENT_AUTHENTICATION_METHODS = List.of("client_secret_basic",
			"client_secret_post", "none");

	/** The algorithms {@link ClientAssertionDecoders} accepts for {@code private_key_jwt}. */
	private static final List<String> CLIENT_ASSERTION_ALGORITHMS = List.of("RS256", "ES256");

	private static final String SIGNING_ALGORITHMS = "token_endpoint_auth_signing_alg_values_supported";

	private static final Consumer<OAuth2AuthorizationCodeRequestAuthenticationContext> AUTHORIZATION_REQUEST_VALIDATOR = OAuth2AuthorizationCodeRequestAuthenticationValidator.DEFAULT_REDIRECT_URI_VALIDATOR
		.andThen(OAuth2AuthorizationCodeRequestAuthenticationValidator.DEFAULT_SCOPE_VALIDATOR)
		.andThen(ResourceIndicators::validateAuthorizationRequest);

	@Bean
	@Order(1)
	SecurityFilterChain authorizationServerFilterChain(HttpSecurity http, IdentityProviderSettings settings,
			RegisteredClientRepository clients, AuthorizationServerSettings endpoints) {
		CorsConfigurationSource cors = cors();
		DynamicClientRegistrations registrations = new DynamicClientRegistrations(settings);
		http.oauth2AuthorizationServer((server) -> {
			http.securityMatcher(server.getEndpointsMatcher());
			configure(server, settings, clients, registrations, endpoints);
		})
			// First of all: the token endpoint's records and outage switch see every
			// request and every answer.
			.addFilterBefore(settings.state().tokenEndpoint(), DisableEncodeUrlFilter.class)
			.authorizeHttpRequests((authorize) -> authorize
				.requestMatchers(HttpMethod.POST, REGISTRATION_ENDPOINT)
				.permitAll()
				.anyRequest()
				.authenticated())
			// Browsers (and HeadlessLogin) that are not logged in go to the login page,
			// whatever their Accept header; the other endpoints keep Spring's 401s.
			.exceptionHandling((exceptions) -> exceptions.defaultAuthenticationEntryPointFor(
					new LoginUrlAuthenticationEntryPoint(LOGIN_PAGE),
					PathPatternRequestMatcher.withDefaults().matcher(AUTHORIZATION_ENDPOINT)))
			.cors((configurer) -> configurer.configurationSource(cors));
		return http.build();
	}

	private static void configure(OAuth2AuthorizationServerConfigurer server, IdentityProviderSettings settings,
			RegisteredClientRepository clients, DynamicClientRegistrations registrations,
			AuthorizationServerSettings endpoints) {
		String registrationUri = settings.issuer() + REGISTRATION_ENDPOINT;
		AuthorizationResponseHandler responses = new AuthorizationResponseHandler(
				settings.authorizationResponseIss() ? settings.issuer() : null);
		AuthorizationCodeGenerator codes = new AuthorizationCodeGenerator(settings.clock());
		ClientAssertionDecoders assertions = new ClientAssertionDecoders(settings.issuer(), endpoints,
				settings.clock());
		server
			.clientAuthentication((authentication) -> authentication
				.authenticationConverter(new PublicClientRefreshAuthenticationConverter())
				.authenticationConverter(new ClientAssertionAuthenticationConverter())
				.authenticationProvider(new PublicClientRefreshAuthenticationProvider(clients))
				.authenticationProviders((providers) -> useClientAssertionDecoders(providers, assertions))
				.authenticationSuccessHandler(settings.state().tokenEndpoint()::clientAuthenticated))
			.authorizationEndpoint((endpoint) -> endpoint.consentPage(ConsentPage.PATH)
				.authenticationProviders((providers) -> customizeAuthorizationProviders(providers, codes))
				.authorizationResponseHandler(responses)
				.errorResponseHandler(responses))
			.clientRegistrationEndpoint((endpoint) -> endpoint.openRegistrationAllowed(true)
				.clientRegistrationRequestConverters((converters) -> {
					converters.clear();
					converters.add(new ClientRegistrationRequestConverter());
				})
				.authenticationProviders((providers) -> applyRegistrationPolicy(providers, registrations)))
			.authorizationServerMetadataEndpoint((endpoint) -> endpoint
				.authorizationServerMetadataCustomizer((metadata) -> describe(metadata, settings)))
			.oidc((oidc) -> oidc
				.providerConfigurationEndpoint((endpoint) -> endpoint.providerConfigurationCustomizer(
						(metadata) -> describe(metadata.clientRegistrationEndpoint(registrationUri), settings)))
				.userInfoEndpoint((endpoint) -> endpoint.userInfoMapper(new DemoUserInfoMapper(settings))));
	}

	/**
	 * The authorization request check with RFC 8707 resources, and codes timed by the
	 * provider clock (on the request and on the consent path).
	 */
	private static void customizeAuthorizationProviders(List<AuthenticationProvider> providers,
			AuthorizationCodeGenerator codes) {
		for (AuthenticationProvider provider : providers) {
			if (provider instanceof OAuth2AuthorizationCodeRequestAuthenticationProvider codeRequest) {
				codeRequest.setAuthenticationValidator(AUTHORIZATION_REQUEST_VALIDATOR);
				codeRequest.setAuthorizationCodeGenerator(codes);
			}
			else if (provider instanceof OAuth2AuthorizationConsentAuthenticationProvider consent) {
				consent.setAuthorizationCodeGenerator(codes);
			}
		}
	}

	private static void useClientAssertionDecoders(List<AuthenticationProvider> providers,
			ClientAssertionDecoders assertions) {
		for (AuthenticationProvider provider : providers) {
			if (provider instanceof JwtClientAssertionAuthenticationProvider jwtAssertion) {
				jwtAssertion.setJwtDecoderFactory(assertions);
			}
		}
	}

	private static void applyRegistrationPolicy(List<AuthenticationProvider> providers,
			DynamicClientRegistrations registrations) {
		for (AuthenticationProvider provider : providers) {
			if (provider instanceof OAuth2ClientRegistrationAuthenticationProvider registration) {
				registration.setAuthenticationValidator(registrations::validate);
				registration.setRegisteredClientConverter(registrations::toRegisteredClient);
				registration.setClientRegistrationConverter(DynamicClientRegistrations.responseConverter());
			}
		}
	}

	/**
	 * Makes both metadata documents describe what this provider really offers, where
	 * Spring lists everything it could do: the grants and client authentication methods
	 * its clients can use ({@code none} included, which Spring leaves out;
	 * {@code client_credentials} and {@code private_key_jwt} only when a pre-registered
	 * client uses them), its scopes, no mTLS-bound tokens (it serves plain HTTP), and
	 * RFC 9207 {@code iss} support when enabled.
	 * @see <a href="https://datatracker.ietf.org/doc/html/rfc8414#section-2">RFC 8414
	 * section 2</a>
	 * @see <a href="https://datatracker.ietf.org/doc/html/rfc9207#section-3">RFC 9207
	 * section 3</a>
	 */
	private static void describe(OAuth2AuthorizationServerMetadata.Builder metadata,
			IdentityProviderSettings settings) {
		List<String> methods = authenticationMethods(settings);
		metadata.scopes((scopes) -> replace(scopes, settings.scopes()))
			.grantTypes((grants) -> replace(grants, grantTypes(settings)))
			.tokenEndpointAuthenticationMethods((values) -> replace(values, methods))
			.tlsClientCertificateBoundAccessTokens(false)
			.claims((claims) -> describeExtensions(claims, settings, methods));
	}

	/**
	 * {@link #describe(OAuth2AuthorizationServerMetadata.Builder, IdentityProviderSettings)}
	 * for the OpenID Connect document (the common builder type is not public).
	 */
	private static void describe(OidcProviderConfiguration.Builder metadata, IdentityProviderSettings settings) {
		List<String> methods = authenticationMethods(settings);
		metadata.scopes((scopes) -> replace(scopes, settings.scopes()))
			.grantTypes((grants) -> replace(grants, grantTypes(settings)))
			.tokenEndpointAuthenticationMethods((values) -> replace(values, methods))
			.tlsClientCertificateBoundAccessTokens(false)
			.claims((claims) -> describeExtensions(claims, settings, methods));
	}

	private static void describeExtensions(Map<String, Object> claims, IdentityProviderSettings settings,
			List<String> methods) {
		claims.remove(ISS_PARAMETER_SUPPORTED);
		claims.remove(SIGNING_ALGORITHMS);
		if (settings.authorizationResponseIss()) {
			claims.put(ISS_PARAMETER_SUPPORTED, true);
		}
		if (methods.contains(DemoClient.PRIVATE_KEY_JWT)) {
			claims.put(SIGNING_ALGORITHMS, CLIENT_ASSERTION_ALGORITHMS);
		}
	}

	private static List<String> grantTypes(IdentityProviderSettings settings) {
		List<String> grants = new ArrayList<>(GRANT_TYPES);
		if (settings.clients()
			.stream()
			.anyMatch((client) -> client.grantTypes().contains(DemoClient.CLIENT_CREDENTIALS))) {
			grants.add(DemoClient.CLIENT_CREDENTIALS);
		}
		return grants;
	}

	private static List<String> authenticationMethods(IdentityProviderSettings settings) {
		List<String> methods = new ArrayList<>(CLIENT_AUTHENTICATION_METHODS);
		if (settings.clients()
			.stream()
			.anyMatch((client) -> client.authenticationMethods().contains(DemoClient.PRIVATE_KEY_JWT))) {
			methods.add(DemoClient.PRIVATE_KEY_JWT);
		}
		return methods;
	}

	private static void replace(List<String> target, List<String> values) {
		target.clear();
		target.addAll(values);
	}

	@Bean
	@Order(2)
	SecurityFilterChain loginFilterChain(HttpSecurity http, RegisteredClientRepository clients,
			AuthorizationServerSettings endpoints) {
		http.authorizeHttpRequests((authorize) -> authorize.anyRequest().authenticated())
			// The consent page, for logged-in users only (Spring redirects there after the login).
			.addFilterAfter(new ConsentPage(clients, endpoints.getAuthorizationEndpoint()), AuthorizationFilter.class)
			.formLogin(Customizer.withDefaults())
			.cors((configurer) -> configurer.configurationSource(cors()));
		return http.build();
	}

	/**
	 * CORS for the endpoints that browser-based MCP clients call from JavaScript:
	 * metadata, JWKS, registration, token, revocation and UserInfo. Any origin, no
	 * credentials (cookies are only used by the login page, which is navigated to).
	 */
	private static CorsConfigurationSource cors() {
		CorsConfiguration configuration = new CorsConfiguration();
		configuration.setAllowedOrigins(List.of(CorsConfiguration.ALL));
		configuration.setAllowedMethods(List.of("GET", "POST", "OPTIONS"));
		configuration.setAllowedHeaders(List.of(CorsConfiguration.ALL));
		configuration.setAllowCredentials(false);
		UrlBasedCorsConfigurationSource source = new UrlBasedCorsConfigurationSource();
		for (String path : List.of("/.well-known/**", "/oauth2/token", "/oauth2/jwks", "/oauth2/revoke",
				REGISTRATION_ENDPOINT, "/userinfo")) {
			source.registerCorsConfiguration(path, configuration);
		}
		return source;
	}

}
