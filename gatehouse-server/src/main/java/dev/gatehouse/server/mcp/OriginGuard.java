package dev.gatehouse.server.mcp;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import dev.gatehouse.core.target.UrlRules;
import dev.gatehouse.server.config.GatehouseProperties;
import org.jspecify.annotations.Nullable;

/**
 * Validates the {@code Origin} and {@code Host} headers of requests to {@code /mcp}, against DNS rebinding: a
 * page on an attacker's site must not be able to reach a gateway on the user's machine or network.
 * <p>
 * Allowed origins: the public URL's origin, any loopback origin when the public URL is on loopback, and
 * {@code gatehouse.mcp.allowed-origins}. Allowed hosts: the public URL's host, loopback names, and
 * {@code gatehouse.mcp.allowed-hosts}. A request without {@code Origin} (not from a browser) passes the origin
 * check.
 *
 * @see <a href="https://modelcontextprotocol.io/specification/2025-11-25/basic/transports#security-warning">
 * Streamable HTTP: security warning</a>
 */
final class OriginGuard {

	private final List<String> origins = new ArrayList<>();

	private final List<String> hosts = new ArrayList<>();

	private final boolean anyOrigin;

	private final boolean loopbackOrigins;

	OriginGuard(GatehouseProperties properties) {
		URI publicUrl = properties.publicUrl();
		origins.add(origin(publicUrl));
		hosts.add(hostPort(publicUrl));
		hosts.add(publicUrl.getHost().toLowerCase(Locale.ROOT));
		loopbackOrigins = UrlRules.isLoopbackHost(publicUrl.getHost());
		boolean any = false;
		for (String origin : properties.mcp().allowedOrigins()) {
			if (origin.equals("*")) {
				any = true;
			}
			else {
				origins.add(stripSlash(origin.toLowerCase(Locale.ROOT)));
			}
		}
		anyOrigin = any;
		properties.mcp().allowedHosts().forEach((h) -> hosts.add(h.toLowerCase(Locale.ROOT)));
	}

	/** Why the Origin header is refused, or empty when it is acceptable. */
	Optional<String> checkOrigin(@Nullable String origin) {
		if (origin == null || anyOrigin) {
			return Optional.empty();
		}
		String o = stripSlash(origin.strip().toLowerCase(Locale.ROOT));
		for (String allowed : origins) {
			if (matches(allowed, o)) {
				return Optional.empty();
			}
		}
		if (loopbackOrigins && isLoopbackOrigin(o)) {
			return Optional.empty();
		}
		return Optional.of("Origin '" + printable(origin) + "' is not allowed (see gatehouse.mcp.allowed-origins)");
	}

	/** Why the Host header is refused, or empty when it is acceptable. */
	Optional<String> checkHost(@Nullable String host) {
		if (host == null || host.isBlank()) {
			return Optional.of("the Host header is missing");
		}
		String h = host.strip().toLowerCase(Locale.ROOT);
		String name = hostName(h);
		if (UrlRules.isLoopbackHost(name)) {
			return Optional.empty();
		}
		for (String allowed : hosts) {
			if (allowed.equals(h) || allowed.equals(name) || matches(allowed, h)) {
				return Optional.empty();
			}
		}
		return Optional.of("Host '" + printable(host) + "' is not allowed (see gatehouse.mcp.allowed-hosts)");
	}

	private static boolean isLoopbackOrigin(String origin) {
		try {
			URI uri = URI.create(origin);
			return uri.getHost() != null && UrlRules.isLoopbackHost(uri.getHost())
					&& ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()));
		}
		catch (IllegalArgumentException ex) {
			return false;
		}
	}

	/** Exact match, or a pattern whose port is {@code *}. */
	private static boolean matches(String allowed, String value) {
		if (allowed.endsWith(":*")) {
			String prefix = allowed.substring(0, allowed.length() - 1);
			return value.startsWith(prefix) && value.substring(prefix.length()).matches("\\d{1,5}")
					|| value.equals(allowed.substring(0, allowed.length() - 2));
		}
		return allowed.equals(value);
	}

	private static String hostName(String hostHeader) {
		if (hostHeader.startsWith("[")) {
			int end = hostHeader.indexOf(']');
			return (end > 0) ? hostHeader.substring(0, end + 1) : hostHeader;
		}
		int colon = hostHeader.lastIndexOf(':');
		return (colon > 0) ? hostHeader.substring(0, colon) : hostHeader;
	}

	private static String origin(URI url) {
		String scheme = url.getScheme().toLowerCase(Locale.ROOT);
		int port = url.getPort();
		boolean defaultPort = port == -1 || (scheme.equals("http") && port == 80) || (scheme.equals("https") && port == 443);
		return scheme + "://" + url.getHost().toLowerCase(Locale.ROOT) + (defaultPort ? "" : ":" + port);
	}

	private static String hostPort(URI url) {
		return url.getHost().toLowerCase(Locale.ROOT) + ((url.getPort() == -1) ? "" : ":" + url.getPort());
	}

	private static String stripSlash(String s) {
		return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
	}

	private static String printable(String s) {
		String cut = (s.length() > 100) ? s.substring(0, 100) + "…" : s;
		return cut.replaceAll("\\p{Cntrl}", "?");
	}
}
