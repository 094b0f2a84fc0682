package dev.gatehouse.demo.idp;

import java.net.BindException;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;

import org.springframework.boot.Banner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.context.logging.LoggingApplicationListener;
import org.springframework.boot.web.server.PortInUseException;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Runs one identity provider as its own Spring Boot application, isolated from whatever
 * else runs in the JVM.
 *
 * <p>
 * Isolation, because the gateway's tests start providers next to their own Spring Boot
 * application: no auto-configuration and no component scan ({@link IdentityProviderConfiguration}
 * lists every bean); no configuration file ({@code spring.config.location} points at
 * nothing, given as a command-line argument, which outranks system properties and the
 * environment); no {@code LoggingApplicationListener} (it would reset the host's logging
 * system); no shutdown hook (the host closes the provider); no static state.
 */
final class IdentityProviderApplication {

	/** A configuration file location that does not exist: the context reads none. */
	private static final String NO_CONFIG_FILES = "optional:classpath:/dev/gatehouse/demo/idp/none.properties";

	private IdentityProviderApplication() {
	}

	/**
	 * Starts the context and its Tomcat.
	 * @param settings the provider's settings, registered as a bean
	 * @return the running context
	 * @throws RuntimeException whatever Spring throws if the context cannot start
	 */
	static ConfigurableApplicationContext run(IdentityProviderSettings settings) {
		SpringApplication application = new SpringApplication(IdentityProviderConfiguration.class);
		application.setWebApplicationType(WebApplicationType.SERVLET);
		application.setBannerMode(Banner.Mode.OFF);
		application.setLogStartupInfo(false);
		application.setRegisterShutdownHook(false);
		application.setListeners(application.getListeners()
			.stream()
			.filter((listener) -> !(listener instanceof LoggingApplicationListener))
			.toList());
		ApplicationContextInitializer<ConfigurableApplicationContext> registerSettings = (context) -> context
			.getBeanFactory()
			.registerSingleton("identityProviderSettings", settings);
		application.addInitializers(registerSettings);
		return application.run("--spring.config.location=" + NO_CONFIG_FILES);
	}

	/**
	 * Whether a start failed because the port was taken.
	 * @param failure what {@link #run(IdentityProviderSettings)} threw
	 * @return {@code true} if a {@link PortInUseException} or {@link BindException} is
	 * among its causes
	 */
	static boolean isPortInUse(Throwable failure) {
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (cause instanceof PortInUseException || cause instanceof BindException) {
				return true;
			}
			if (cause.getCause() == cause) {
				break;
			}
		}
		return false;
	}

	/**
	 * A new RSA 2048 signing key whose {@code kid} is its RFC 7638 thumbprint.
	 * @return the key pair
	 */
	static RSAKey generateKey() {
		try {
			return new RSAKeyGenerator(2048).keyUse(KeyUse.SIGNATURE).keyIDFromThumbprint(true).generate();
		}
		catch (JOSEException ex) {
			throw new IllegalStateException("Could not generate an RSA signing key", ex);
		}
	}

}
