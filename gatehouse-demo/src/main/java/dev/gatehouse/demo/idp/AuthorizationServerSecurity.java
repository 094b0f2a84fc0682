package dev.gatehouse.demo.idp;

import java.util.List;
import java.util.function.Consumer;

import org.springframework.context.annotation.Bean;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.oauth2.server.authorization.OAuth2AuthorizationServerConfigurer;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationServerMetadata;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationContext;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationProvider;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationValidator;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientRegistrationAuthenticationProvider;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.oidc.OidcProviderConfiguration;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.LoginUrlAuthenticationEntryPoint;
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
 * with {@link DynamicClientRegistrations}' policy, advertised in both metadata documents;
 * {@code invalid_target} for a bad RFC 8707 {@code resource} on the authorization request;
 * the UserInfo claims of {@link DemoUserInfoMapper}; metadata that lists what the provider
 * really supports; and CORS for the endpoints a browser-based client (MCP Inspector)
 * calls with {@code fetch}.
 */
class AuthorizationServerSecurity {

	static final String REGISTRATION_ENDPOINT = "/register";

	static final String AUTHORIZATION_ENDPOINT = "/oauth2/authorize";

	static final String LOGIN_PAGE = "/login";

	private static final List<String> GRANT_TYPES = List.of("authorization_code", "refresh_token");

	private static final List<String> CLIENT_AUTHENTICATION_METHODS = List.of("client_secret_basic",
			"client_secret_post", "none");

	private static final Consumer<OAuth2AuthorizationCodeRequestAuthenticationContext> AUTHORIZATION_REQUEST_VALIDATOR = OAuth2AuthorizationCodeRequestAuthenticationValidator.DEFAULT_REDIRECT_URI_VALIDATOR
		.andThen(OAuth2AuthorizationCodeRequestAuthenticationValidator.DEFAULT_SCOPE_VALIDATOR)
		.andThen(ResourceIndicators::validateAuthorizationRequest);

	@Bean
	@Order(1)
	SecurityFilterChain authorizationServerFilterChain(HttpSecurity http, IdentityProviderSettings settings,
			RegisteredClientRepository clients) {
		CorsConfigurationSource cors = cors();
		DynamicClientRegistrations registrations = new DynamicClientRegistrations(settings);
		http.oauth2AuthorizationServer((server) -> {
			http.securityMatcher(server.getEndpointsMatcher());
			configure(server, settings, clients, registrations);
		})
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
			RegisteredClientRepository clients, DynamicClientRegistrations registrations) {
		String registrationUri = settings.issuer() + REGISTRATION_ENDPOINT;
		server
			.clientAuthentication((authentication) -> authentication
				.authenticationConverter(new PublicClientRefreshAuthenticationConverter())
				.authenticationProvider(new PublicClientRefreshAuthenticationProvider(clients)))
			.authorizationEndpoint((endpoint) -> endpoint
				.authenticationProviders(AuthorizationServerSecurity::validateResourceIndicators))
			.clientRegistrationEndpoint((endpoint) -> endpoint.openRegistrationAllowed(true)
				.authenticationProviders((providers) -> applyRegistrationPolicy(providers, registrations)))
			.authorizationServerMetadataEndpoint((endpoint) -> endpoint
				.authorizationServerMetadataCustomizer((metadata) -> describe(metadata, settings)))
			.oidc((oidc) -> oidc
				.providerConfigurationEndpoint((endpoint) -> endpoint.providerConfigurationCustomizer(
						(metadata) -> describe(metadata.clientRegistrationEndpoint(registrationUri), settings)))
				.userInfoEndpoint((endpoint) -> endpoint.userInfoMapper(new DemoUserInfoMapper(settings))));
	}

	private static void validateResourceIndicators(List<AuthenticationProvider> providers) {
		for (AuthenticationProvider provider : providers) {
			if (provider instanceof OAuth2AuthorizationCodeRequestAuthenticationProvider codeRequest) {
				codeRequest.setAuthenticationValidator(AUTHORIZATION_REQUEST_VALIDATOR);
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
	 * its clients can use ({@code none} included, which Spring leaves out), its scopes, and
	 * no mTLS-bound tokens (it serves plain HTTP).
	 * @see <a href="https://datatracker.ietf.org/doc/html/rfc8414#section-2">RFC 8414
	 * section 2</a>
	 */
	private static void describe(OAuth2AuthorizationServerMetadata.Builder metadata,
			IdentityProviderSettings settings) {
		metadata.scopes((scopes) -> replace(scopes, settings.scopes()))
			.grantTypes((grants) -> replace(grants, GRANT_TYPES))
			.tokenEndpointAuthenticationMethods((methods) -> replace(methods, CLIENT_AUTHENTICATION_METHODS))
			.tlsClientCertificateBoundAccessTokens(false);
	}

	/**
	 * {@link #describe(OAuth2AuthorizationServerMetadata.Builder, IdentityProviderSettings)}
	 * for the OpenID Connect document (the common builder type is not public).
	 */
	private static void describe(OidcProviderConfiguration.Builder metadata, IdentityProviderSettings settings) {
		metadata.scopes((scopes) -> replace(scopes, settings.scopes()))
			.grantTypes((grants) -> replace(grants, GRANT_TYPES))
			.tokenEndpointAuthenticationMethods((methods) -> replace(methods, CLIENT_AUTHENTICATION_METHODS))
			.tlsClientCertificateBoundAccessTokens(false);
	}

	private static void replace(List<String> target, List<String> values) {
		target.clear();
		target.addAll(values);
	}

	@Bean
	@Order(2)
	SecurityFilterChain loginFilterChain(HttpSecurity http) {
		http.authorizeHttpRequests((authorize) -> authorize.anyRequest().authenticated())
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
