package dev.gatehouse.demo.idp;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;

import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.security.config.annotation.web.configuration.EnableWebSecurity;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2Token;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtIssuerValidator;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
import org.springframework.security.oauth2.jwt.JwtTypeValidator;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.jwt.NimbusJwtEncoder;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationConsentService;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.settings.AuthorizationServerSettings;
import org.springframework.security.oauth2.server.authorization.token.DelegatingOAuth2TokenGenerator;
import org.springframework.security.oauth2.server.authorization.token.JwtGenerator;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenGenerator;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.web.servlet.DispatcherServlet;

/**
 * The beans of one identity provider context.
 *
 * <p>
 * Deliberately not a {@code @Configuration} (it is a "lite" configuration class, given to
 * {@code SpringApplication} as its source), and the context runs without
 * auto-configuration: an application that component-scans {@code dev.gatehouse} (the
 * gateway) must not pick these beans up, and the classpath and properties of the host
 * application (a data source, Flyway, Actuator, {@code server.port}) must not leak into
 * this context. Every bean is therefore explicit, including the Tomcat factory and the
 * dispatcher servlet that Boot's auto-configuration would otherwise provide. Beans get
 * their collaborators as method parameters (lite mode does not proxy {@code @Bean}
 * methods).
 */
@EnableWebSecurity
@Import(AuthorizationServerSecurity.class)
class IdentityProviderConfiguration {

	/** The only address the provider listens on. */
	static final String BIND_ADDRESS = "127.0.0.1";

	@Bean
	TomcatServletWebServerFactory webServerFactory(IdentityProviderSettings settings) throws UnknownHostException {
		TomcatServletWebServerFactory factory = new TomcatServletWebServerFactory(settings.port());
		factory.setAddress(InetAddress.getByName(BIND_ADDRESS));
		// Boot would otherwise switch off Tomcat's JMX registry for the whole JVM (a static
		// setting that other Tomcats in the process already initialised).
		factory.setDisableMBeanRegistry(false);
		return factory;
	}

	@Bean
	DispatcherServlet dispatcherServlet() {
		// Every endpoint is a filter; a servlet must still be mapped for Tomcat to run the
		// filter chain. Unknown paths end here as 404.
		return new DispatcherServlet();
	}

	/**
	 * The state's repository, with the pre-registered clients (re)saved: after a restart
	 * they replace themselves, and dynamically registered clients are still there.
	 */
	@Bean
	RegisteredClientRepository registeredClientRepository(IdentityProviderSettings settings) {
		DemoRegisteredClientRepository repository = settings.state().clients();
		GatewayClient gateway = settings.gatewayClient();
		if (gateway != null) {
			repository.save(PreRegisteredClients.gateway(gateway, settings));
		}
		settings.clients().forEach((client) -> repository.save(PreRegisteredClients.of(client, settings)));
		return repository;
	}

	@Bean
	OAuth2AuthorizationService authorizationService(IdentityProviderSettings settings) {
		return settings.state().authorizations();
	}

	@Bean
	OAuth2AuthorizationConsentService authorizationConsentService(IdentityProviderSettings settings) {
		return settings.state().consents();
	}

	@Bean
	JWKSource<SecurityContext> jwkSource(IdentityProviderSettings settings) {
		return new ImmutableJWKSet<>(new JWKSet(settings.signingKey()));
	}

	/**
	 * Decodes the access tokens presented to this provider itself (UserInfo endpoint).
	 * Spring's default validators accept {@code typ} {@code JWT} or none only, and this
	 * provider's access tokens say {@code at+jwt}; times are checked by the provider
	 * clock.
	 */
	@Bean
	JwtDecoder jwtDecoder(JWKSource<SecurityContext> jwkSource, IdentityProviderSettings settings) {
		NimbusJwtDecoder decoder = NimbusJwtDecoder.withJwkSource(jwkSource).build();
		JwtTimestampValidator timestamps = new JwtTimestampValidator();
		timestamps.setClock(settings.clock());
		decoder.setJwtValidator(new DelegatingOAuth2TokenValidator<>(
				new JwtTypeValidator(DemoTokenCustomizer.ACCESS_TOKEN_TYPE), timestamps,
				new JwtIssuerValidator(settings.issuer())));
		return decoder;
	}

	@Bean
	AuthorizationServerSettings authorizationServerSettings(IdentityProviderSettings settings) {
		return AuthorizationServerSettings.builder()
			.issuer(settings.issuer())
			.clientRegistrationEndpoint(AuthorizationServerSecurity.REGISTRATION_ENDPOINT)
			.build();
	}

	/**
	 * JWTs (access and ID tokens) shaped by {@link DemoTokenCustomizer}, and refresh
	 * tokens for every client, public ones included ({@link RotatingRefreshTokenGenerator}).
	 * Both take the provider's clock. Spring's default generator is replaced as a whole
	 * because it cannot be told to issue refresh tokens to public clients.
	 */
	@Bean
	OAuth2TokenGenerator<OAuth2Token> tokenGenerator(JWKSource<SecurityContext> jwkSource,
			IdentityProviderSettings settings) {
		JwtGenerator jwtGenerator = new JwtGenerator(new NimbusJwtEncoder(jwkSource));
		jwtGenerator.setJwtCustomizer(new DemoTokenCustomizer(settings));
		jwtGenerator.setClock(settings.clock());
		return new DelegatingOAuth2TokenGenerator(jwtGenerator, new RotatingRefreshTokenGenerator(settings.clock()));
	}

	@Bean
	UserDetailsService userDetailsService(IdentityProviderSettings settings) {
		List<UserDetails> users = settings.users()
			.stream()
			.map((user) -> User.withUsername(user.username())
				.password("{noop}" + user.password())
				.authorities(user.roles().toArray(new String[0]))
				.build())
			.toList();
		return new InMemoryUserDetailsManager(users);
	}

	/**
	 * Delegating encoder: the demo users and the pre-registered clients are stored as
	 * {@code {noop}} (their secrets are given in clear anyway) and stay so; secrets of
	 * dynamically registered confidential clients are stored as bcrypt hashes.
	 */
	@Bean
	PasswordEncoder passwordEncoder() {
		return new ClearSecretsStayClear(PasswordEncoderFactories.createDelegatingPasswordEncoder());
	}

}
