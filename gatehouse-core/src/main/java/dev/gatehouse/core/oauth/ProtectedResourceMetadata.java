package dev.gatehouse.core.oauth;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

import dev.gatehouse.core.target.UrlRules;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * A target's RFC 9728 protected resource metadata, as far as the gateway uses it: which authorization server
 * protects it, under which resource identifier, with which scopes.
 *
 * @param resource the resource identifier, checked against the target's endpoint
 * @param authorizationServers the issuers that can issue tokens for it (at least one)
 * @param scopesSupported the scopes it understands; empty when not listed
 * @see <a href="https://datatracker.ietf.org/doc/html/rfc9728">RFC 9728</a>
 */
public record ProtectedResourceMetadata(URI resource, List<String> authorizationServers,
		List<String> scopesSupported) {

	private static final String WELL_KNOWN = "/.well-known/oauth-protected-resource";

	public ProtectedResourceMetadata {
		Objects.requireNonNull(resource, "resource must not be null");
		authorizationServers = List.copyOf(authorizationServers);
		scopesSupported = List.copyOf(scopesSupported);
	}

	/**
	 * Reads metadata fetched for {@code endpoint}.
	 * @throws InvalidMetadataException when {@code resource} is not the endpoint (or a path prefix of it on the
	 * same origin, RFC 9728 §3.3 and §7.3), or no authorization server is named
	 */
	public static ProtectedResourceMetadata parse(JsonNode json, URI endpoint, UrlRules urls) {
		MetadataReader reader = new MetadataReader(json, "the protected resource metadata of " + endpoint, urls);
		URI resource = reader.requiredUrl("resource");
		if (!covers(resource, endpoint)) {
			throw new InvalidMetadataException("the protected resource metadata of " + endpoint
					+ " is for another resource, " + resource + " (RFC 9728 §3.3)");
		}
		List<String> servers = reader.strings("authorization_servers");
		if (servers.isEmpty()) {
			throw new InvalidMetadataException(
					"the protected resource metadata of " + endpoint + " names no authorization_servers");
		}
		for (String server : servers) {
			var problem = urls.check(server);
			if (problem.isPresent()) {
				throw new InvalidMetadataException("the protected resource metadata of " + endpoint
						+ ": authorization server " + server + " " + problem.get());
			}
		}
		return new ProtectedResourceMetadata(resource, servers, reader.strings("scopes_supported"));
	}

	/**
	 * The URLs to try: the {@code resource_metadata} of the target's 401 challenge if any, then the well-known
	 * URL with the endpoint's path inserted, then the one at the root (MCP 2025-11-25, "Protected Resource
	 * Metadata Discovery Requirements").
	 */
	public static List<URI> discoveryUrls(URI endpoint, @Nullable URI fromChallenge) {
		List<URI> urls = new ArrayList<>();
		if (fromChallenge != null) {
			urls.add(fromChallenge);
		}
		String origin = endpoint.getScheme() + "://" + endpoint.getRawAuthority();
		String path = (endpoint.getRawPath() == null) ? "" : endpoint.getRawPath();
		if (path.endsWith("/")) {
			path = path.substring(0, path.length() - 1);
		}
		if (!path.isEmpty()) {
			urls.add(URI.create(origin + WELL_KNOWN + path));
		}
		URI root = URI.create(origin + WELL_KNOWN);
		if (!urls.contains(root)) {
			urls.add(root);
		}
		return urls;
	}

	/** Whether {@code resource} identifies {@code endpoint}: the same URL, or a path prefix on the same origin. */
	static boolean covers(URI resource, URI endpoint) {
		if (resource.getRawQuery() != null || resource.getRawFragment() != null) {
			return false;
		}
		if (!origin(resource).equals(origin(endpoint))) {
			return false;
		}
		String prefix = trimSlash(resource.getRawPath());
		String path = trimSlash(endpoint.getRawPath());
		return path.equals(prefix) || path.startsWith(prefix + "/");
	}

	private static String origin(URI uri) {
		String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
		int port = uri.getPort();
		if (port == -1) {
			port = "https".equals(scheme) ? 443 : 80;
		}
		return scheme + "://" + uri.getHost().toLowerCase(Locale.ROOT) + ":" + port;
	}

	private static String trimSlash(@Nullable String path) {
		if (path == null) {
			return "";
		}
		return path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
	}
}
