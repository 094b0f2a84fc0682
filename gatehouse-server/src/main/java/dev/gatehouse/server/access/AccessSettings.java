package dev.gatehouse.server.access;

import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import dev.gatehouse.server.config.GatehouseProperties;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * The resource-server settings, resolved once: the trusted issuers (Spring's
 * {@code spring.security.oauth2.resourceserver.jwt.issuer-uri} first, then {@code gatehouse.access.issuers}), the
 * audiences a token must name, the required scopes, and the protected resource metadata URL that every 401
 * points to.
 */
@Component
public final class AccessSettings {

	private final Map<String, GatehouseProperties.Issuer> issuers = new LinkedHashMap<>();

	private final List<String> audiences;

	private final List<String> requiredScopes;

	private final List<String> scopesSupported;

	private final URI resource;

	private final URI metadataUrl;

	private final GatehouseProperties.Access properties;

	public AccessSettings(GatehouseProperties properties, Environment environment) {
		this.properties = properties.access();
		String springIssuer = environment.getProperty("spring.security.oauth2.resourceserver.jwt.issuer-uri");
		String springJwks = environment.getProperty("spring.security.oauth2.resourceserver.jwt.jwk-set-uri");
		if (springIssuer != null && !springIssuer.isBlank()) {
			URI issuer = URI.create(springIssuer.strip());
			issuers.put(issuer.toString(), new GatehouseProperties.Issuer(issuer,
					(springJwks != null && !springJwks.isBlank()) ? URI.create(springJwks.strip()) : null));
		}
		for (GatehouseProperties.Issuer issuer : this.properties.issuers()) {
			issuers.putIfAbsent(issuer.issuerUri().toString(), issuer);
		}
		this.resource = properties.mcpUrl();
		List<String> configured = new ArrayList<>(this.properties.audiences());
		String springAudiences = environment.getProperty("spring.security.oauth2.resourceserver.jwt.audiences");
		if (springAudiences != null && !springAudiences.isBlank()) {
			for (String audience : springAudiences.split(",")) {
				configured.add(audience.strip());
			}
		}
		this.audiences = configured.isEmpty() ? List.of(resource.toString()) : List.copyOf(configured);
		this.requiredScopes = List.copyOf(this.properties.requiredScopes());
		this.scopesSupported = !this.properties.scopesSupported().isEmpty()
				? List.copyOf(this.properties.scopesSupported())
				: !requiredScopes.isEmpty() ? requiredScopes : loginScopes(environment, issuers.keySet());
		String base = properties.publicUrl().toString();
		base = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
		this.metadataUrl = URI.create(base + "/.well-known/oauth-protected-resource/mcp");
	}

	/**
	 * The scopes the gateway's own OIDC login asks of a trusted issuer
	 * ({@code spring.security.oauth2.client.registration.*.scope} of the registrations whose provider's
	 * {@code issuer-uri} is trusted), in order, without duplicates. An agent logs its user in at the same identity
	 * provider and needs the same claims; MCP clients request what {@code scopes_supported} lists (MCP 2025-11-25
	 * "Scope Selection Strategy"), and some send an empty scope when it lists none.
	 */
	private static List<String> loginScopes(Environment environment, java.util.Set<String> trustedIssuers) {
		Map<String, LoginRegistration> registrations = Binder.get(environment)
			.bind("spring.security.oauth2.client.registration", Bindable.mapOf(String.class, LoginRegistration.class))
			.orElse(Map.of());
		java.util.Set<String> trusted = new java.util.HashSet<>();
		trustedIssuers.forEach((issuer) -> trusted.add(withoutTrailingSlash(issuer)));
		java.util.Set<String> scopes = new java.util.LinkedHashSet<>();
		registrations.forEach((id, registration) -> {
			String provider = (registration.provider() != null) ? registration.provider() : id;
			String issuer = environment.getProperty("spring.security.oauth2.client.provider." + provider + ".issuer-uri");
			if (issuer != null && trusted.contains(withoutTrailingSlash(issuer.strip()))
					&& registration.scope() != null) {
				registration.scope().stream().map(String::strip).filter((scope) -> !scope.isEmpty()).forEach(scopes::add);
			}
		});
		return List.copyOf(scopes);
	}

	private static String withoutTrailingSlash(String uri) {
		return uri.endsWith("/") ? uri.substring(0, uri.length() - 1) : uri;
	}

	/** The two properties of a Spring OAuth client registration read here. */
	record LoginRegistration(@Nullable String provider, @Nullable List<String> scope) {
	}

	/** Whether any issuer is trusted (otherwise only the development local user can call). */
	public boolean hasIssuers() {
		return !issuers.isEmpty();
	}

	public GatehouseProperties.@Nullable Issuer issuer(String issuer) {
		return issuers.get(issuer);
	}

	public List<String> issuerUris() {
		return new ArrayList<>(issuers.keySet());
	}

	public List<String> audiences() {
		return audiences;
	}

	public List<String> requiredScopes() {
		return requiredScopes;
	}

	public List<String> scopesSupported() {
		return scopesSupported;
	}

	/** The RFC 9728 resource: the MCP endpoint URL. */
	public URI resource() {
		return resource;
	}

	/** Where the protected resource metadata is published. */
	public URI metadataUrl() {
		return metadataUrl;
	}

	public java.time.Duration clockSkew() {
		return properties.clockSkew();
	}

	public int tokenCacheSize() {
		return properties.tokenCacheSize();
	}

	public boolean localUserEnabled() {
		return properties.localUser().enabled();
	}

	public String localUserSubject() {
		return properties.localUser().subject();
	}

	/**
	 * A {@code WWW-Authenticate: Bearer} value (RFC 6750 §3, RFC 9728 §5.1).
	 * @param error the error code, or {@code null} when the request had no token
	 * @param description a sentence; quotes and control characters are replaced
	 * @param scopes the scopes to name, or none
	 */
	public String challenge(@Nullable String error, @Nullable String description, List<String> scopes) {
		Objects.requireNonNull(scopes, "scopes must not be null");
		StringBuilder value = new StringBuilder("Bearer resource_metadata=\"").append(metadataUrl).append('"');
		if (!scopes.isEmpty()) {
			value.append(", scope=\"").append(String.join(" ", scopes)).append('"');
		}
		if (error != null) {
			value.append(", error=\"").append(error).append('"');
			if (description != null) {
				value.append(", error_description=\"").append(quoteSafe(description)).append('"');
			}
		}
		return value.toString();
	}

	/**
	 * The description as RFC 6750 §3 allows it in {@code error_description}: printable ASCII without the double
	 * quote and the backslash (%x20-21 / %x23-5B / %x5D-7E). A description can quote what the caller sent (an
	 * issuer read from an unverified token), which may hold any character; one outside that set made the servlet
	 * container drop the whole header.
	 */
	static String quoteSafe(String text) {
		String cut = (text.length() > 200) ? text.substring(0, 200) : text;
		StringBuilder safe = new StringBuilder(cut.length());
		for (int i = 0; i < cut.length(); i++) {
			char c = cut.charAt(i);
			safe.append((c < 0x20 || c > 0x7e || c == '"' || c == '\\') ? '\'' : c);
		}
		return safe.toString();
	}
}
