package dev.gatehouse.server.credentials;

import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import dev.gatehouse.core.oauth.AuthorizationServerMetadata;
import dev.gatehouse.core.oauth.BearerChallenge;
import dev.gatehouse.core.oauth.InvalidMetadataException;
import dev.gatehouse.core.oauth.ProtectedResourceMetadata;
import dev.gatehouse.core.target.Target;
import dev.gatehouse.core.target.TargetAuth;
import dev.gatehouse.core.target.UrlRules;
import dev.gatehouse.server.config.GatehouseProperties;
import dev.gatehouse.server.credentials.OAuthHttp.OAuthHttpException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.stereotype.Component;

/**
 * Works out a target's {@link TargetAuthorization}. What the target's definition states wins; what it leaves out
 * is discovered the MCP way: the target's 401 challenge or well-known URL gives its protected resource metadata
 * (whose {@code resource} must be the target), which names the authorization server, whose metadata (whose
 * {@code issuer} must match) gives the endpoints. A server that does not advertise PKCE {@code S256} is refused.
 * Results are cached per target definition for {@code gatehouse.oauth.discovery-ttl}. Thread-safe.
 *
 * @see <a href="https://modelcontextprotocol.io/specification/2025-11-25/basic/authorization#authorization-server-discovery">MCP
 * authorization server discovery</a>
 */
@Component
final class AuthorizationDiscovery {

	private static final Logger logger = LoggerFactory.getLogger(AuthorizationDiscovery.class);

	private final OAuthHttp http;

	private final UrlRules urls;

	private final Clock clock;

	private final GatehouseProperties.OAuth properties;

	private final Map<String, Cached> cache = new ConcurrentHashMap<>();

	AuthorizationDiscovery(OAuthHttp http, UrlRules urls, Clock clock, GatehouseProperties properties) {
		this.http = http;
		this.urls = urls;
		this.clock = clock;
		this.properties = properties.oauth();
	}

	/**
	 * @throws TargetAuthorizationException naming what could not be found or was refused
	 */
	TargetAuthorization resolve(Target target) {
		Instant now = clock.instant();
		Cached cached = cache.get(target.name());
		if (cached != null && cached.target.equals(target) && now.isBefore(cached.expiresAt)) {
			return cached.authorization;
		}
		TargetAuthorization resolved = discover(target);
		cache.put(target.name(), new Cached(target, resolved, now.plus(properties.discoveryTtl())));
		return resolved;
	}

	/** Forgets what was discovered for a target (its definition changed, or its server misbehaved). */
	void forget(String target) {
		cache.remove(target);
	}

	private TargetAuthorization discover(Target target) {
		TargetAuth.OAuth2 oauth = (TargetAuth.OAuth2) target.auth();
		boolean codeFlow = oauth.grantType() == TargetAuth.GrantType.AUTHORIZATION_CODE;
		boolean complete = oauth.tokenUrl() != null && (!codeFlow || oauth.authorizationUrl() != null);
		Optional<ProtectedResourceMetadata> prm = protectedResourceMetadata(target, complete);
		Optional<AuthorizationServerMetadata> as = prm.flatMap((m) -> authorizationServer(target, m, complete));
		if (!complete && as.isEmpty()) {
			throw new TargetAuthorizationException("target '" + target.name() + "' gives no "
					+ (oauth.tokenUrl() == null ? "auth.tokenUrl" : "auth.authorizationUrl")
					+ " and its authorization server could not be discovered", false);
		}
		AuthorizationServerMetadata metadata = as.orElse(null);
		if (metadata != null && complete && !metadata.tokenEndpoint().equals(oauth.tokenUrl())) {
			// The configured endpoints belong to another server than the discovered one: trust the configuration,
			// and do not mix in the other server's issuer.
			logger.warn("Target '{}': the configured auth.tokenUrl is not the token endpoint of {}, the authorization "
					+ "server its metadata names; using the configuration", target.name(), metadata.issuer());
			metadata = null;
		}
		if (codeFlow && metadata != null && !metadata.supportsPkceS256()) {
			throw new TargetAuthorizationException("the authorization server " + metadata.issuer() + " of target '"
					+ target.name() + "' does not advertise PKCE S256 (code_challenge_methods_supported); the gateway "
					+ "refuses to use it", false);
		}
		URI resource = (oauth.resource() != null) ? oauth.resource()
				: prm.map(ProtectedResourceMetadata::resource).orElse(target.endpoint());
		List<String> scopes = !oauth.scopes().isEmpty() ? oauth.scopes()
				: prm.map(ProtectedResourceMetadata::scopesSupported).orElse(List.of());
		URI tokenEndpoint = (oauth.tokenUrl() != null) ? oauth.tokenUrl() : metadata.tokenEndpoint();
		URI authorizationEndpoint = (oauth.authorizationUrl() != null) ? oauth.authorizationUrl()
				: (metadata != null) ? metadata.authorizationEndpoint() : null;
		if (codeFlow && authorizationEndpoint == null) {
			throw new TargetAuthorizationException("the authorization server of target '" + target.name()
					+ "' has no authorization_endpoint", false);
		}
		return new TargetAuthorization(target.name(), (metadata != null) ? metadata.issuer() : null,
				authorizationEndpoint, tokenEndpoint,
				(oauth.revocationUrl() != null) ? oauth.revocationUrl()
						: (metadata != null) ? metadata.revocationEndpoint() : null,
				(metadata != null) ? metadata.registrationEndpoint() : null, resource, scopes,
				metadata != null && metadata.issParameterSupported(),
				(metadata != null) ? metadata.tokenEndpointAuthMethods() : List.of(), oauth.grantType());
	}

	private Optional<ProtectedResourceMetadata> protectedResourceMetadata(Target target, boolean optional) {
		URI fromChallenge = challengedMetadataUrl(target);
		for (URI url : ProtectedResourceMetadata.discoveryUrls(target.endpoint(), fromChallenge)) {
			try {
				OAuthHttp.Response response = http.getJson(url);
				if (response.ok() && response.body() != null) {
					return Optional.of(ProtectedResourceMetadata.parse(response.body(), target.endpoint(), urls));
				}
			}
			catch (InvalidMetadataException ex) {
				logger.warn("Target '{}': {}", target.name(), ex.getMessage());
			}
			catch (OAuthHttpException ex) {
				if (!optional && ex.isTransient()) {
					throw new TargetAuthorizationException("the protected resource metadata of target '"
							+ target.name() + "' could not be fetched: " + ex.getMessage(), true);
				}
				logger.debug("Target '{}': {}", target.name(), ex.getMessage());
			}
		}
		return Optional.empty();
	}

	/** The {@code resource_metadata} of the target's answer to an unauthenticated request, if it gives one. */
	private @Nullable URI challengedMetadataUrl(Target target) {
		ObjectNode ping = JsonNodeFactory.instance.objectNode();
		ping.put("jsonrpc", "2.0").put("id", 0).put("method", "ping");
		try {
			OAuthHttp.Response response = http.postJson(target.endpoint(), ping,
					Map.of("Accept", "application/json, text/event-stream"));
			if (response.status() != 401) {
				return null;
			}
			String url = BearerChallenge.parse(response.challenges()).map(BearerChallenge::resourceMetadata).orElse(null);
			return (url != null && urls.check(url).isEmpty()) ? URI.create(url) : null;
		}
		catch (OAuthHttpException ex) {
			return null;
		}
	}

	private Optional<AuthorizationServerMetadata> authorizationServer(Target target, ProtectedResourceMetadata prm,
			boolean optional) {
		String issuer = prm.authorizationServers().get(0);
		for (URI url : AuthorizationServerMetadata.discoveryUrls(issuer)) {
			try {
				OAuthHttp.Response response = http.getJson(url);
				if (response.ok() && response.body() != null) {
					return Optional.of(AuthorizationServerMetadata.parse(response.body(), issuer, urls));
				}
			}
			catch (InvalidMetadataException ex) {
				if (!optional) {
					throw new TargetAuthorizationException("target '" + target.name() + "': " + ex.getMessage(), false);
				}
				logger.warn("Target '{}': {}", target.name(), ex.getMessage());
				return Optional.empty();
			}
			catch (OAuthHttpException ex) {
				if (!optional && ex.isTransient()) {
					throw new TargetAuthorizationException("the authorization server metadata of target '"
							+ target.name() + "' could not be fetched: " + ex.getMessage(), true);
				}
			}
		}
		return Optional.empty();
	}

	private record Cached(Target target, TargetAuthorization authorization, Instant expiresAt) {
	}
}
