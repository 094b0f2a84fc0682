package dev.gatehouse.server.access;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;

import dev.gatehouse.server.config.GatehouseProperties;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.client.registration.InMemoryClientRegistrationRepository;
import org.springframework.stereotype.Component;

/**
 * Makes the redirect URI of every login client registration ({@code spring.security.oauth2.client.registration.*},
 * such as {@code idp}) absolute from {@code gatehouse.public-url}. Spring Security's default template,
 * {@code {baseUrl}/login/oauth2/code/{registrationId}}, takes {@code {baseUrl}} from the request's scheme,
 * {@code Host} and port, so a request with {@code Host: evil.example} would send the identity provider a
 * redirect URI on {@code evil.example} (only the provider's exact match would stop the code going there).
 * <p>
 * Every {@code {baseUrl}}, {@code {baseScheme}}, {@code {baseHost}}, {@code {basePort}} and {@code {basePath}} in
 * a configured template is replaced with the public URL's part; {@code {registrationId}} and {@code {action}} are
 * left for Spring. A redirect URI configured without these variables is kept as it is.
 *
 * @see <a href="https://datatracker.ietf.org/doc/html/rfc9700#section-4.1">RFC 9700 §4.1: redirect URI
 * validation attacks</a>
 */
@Component
final class PublicUrlRedirectUris implements BeanPostProcessor {

	private final ObjectProvider<GatehouseProperties> properties;

	PublicUrlRedirectUris(ObjectProvider<GatehouseProperties> properties) {
		this.properties = properties;
	}

	@Override
	public Object postProcessAfterInitialization(Object bean, String beanName) {
		if (!(bean instanceof InMemoryClientRegistrationRepository repository)) {
			return bean;
		}
		URI publicUrl = properties.getObject().publicUrl();
		List<ClientRegistration> registrations = new ArrayList<>();
		for (ClientRegistration registration : repository) {
			registrations.add(ClientRegistration.withClientRegistration(registration)
				.redirectUri(expand(registration.getRedirectUri(), publicUrl))
				.build());
		}
		return new InMemoryClientRegistrationRepository(registrations);
	}

	/** The template with the request-derived variables replaced by the public URL's parts. */
	static String expand(String template, URI publicUrl) {
		String base = stripSlash(publicUrl.toString());
		String path = stripSlash((publicUrl.getRawPath() != null) ? publicUrl.getRawPath() : "");
		return template.replace("{baseUrl}", base)
			.replace("{baseScheme}", publicUrl.getScheme())
			.replace("{baseHost}", publicUrl.getHost())
			.replace("{basePort}", (publicUrl.getPort() == -1) ? "" : ":" + publicUrl.getPort())
			.replace("{basePath}", path);
	}

	private static String stripSlash(String value) {
		return value.endsWith("/") ? value.substring(0, value.length() - 1) : value;
	}
}
