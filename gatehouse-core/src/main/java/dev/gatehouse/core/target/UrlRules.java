package dev.gatehouse.core.target;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Optional;

/**
 * The rules every outbound URL of a target must meet before anything is stored: absolute, {@code https}
 * (plain {@code http} only to a loopback host, and only when the operator allowed it), a host, no user info
 * (credentials in URLs leak into logs), no fragment. Schemes such as {@code javascript:}, {@code data:} and
 * {@code file:} are refused by construction.
 *
 * @param allowInsecureLoopback whether {@code http://localhost}, {@code http://127.0.0.1} and
 * {@code http://[::1]} are accepted (development and tests)
 * @see <a href="https://modelcontextprotocol.io/specification/2025-11-25/basic/security_best_practices">MCP
 * security best practices</a>
 */
public record UrlRules(boolean allowInsecureLoopback) {

	/**
	 * Checks a URL; empty when acceptable, else the reason.
	 */
	public Optional<String> check(String text) {
		URI uri;
		try {
			uri = new URI(text);
		}
		catch (URISyntaxException ex) {
			return Optional.of("is not a valid URL (" + ex.getReason() + ")");
		}
		if (!uri.isAbsolute() || uri.getScheme() == null) {
			return Optional.of("must be an absolute URL such as https://mcp.example.com/mcp");
		}
		String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
		if (!scheme.equals("https") && !scheme.equals("http")) {
			return Optional.of("must use https, not '" + scheme + ":'");
		}
		if (uri.getRawAuthority() == null || uri.getHost() == null || uri.getHost().isEmpty()) {
			return Optional.of("must name a host");
		}
		if (uri.getPort() > 65535) {
			return Optional.of("has a port out of range (1 to 65535)");
		}
		if (uri.getRawUserInfo() != null) {
			return Optional.of("must not contain user info (credentials in URLs leak into logs)");
		}
		if (uri.getRawFragment() != null) {
			return Optional.of("must not contain a fragment");
		}
		if (scheme.equals("http")) {
			if (!isLoopbackHost(uri.getHost())) {
				return Optional.of("must use https (plain http is allowed only for a loopback host)");
			}
			if (!allowInsecureLoopback) {
				return Optional.of("must use https (plain http to loopback needs "
						+ "gatehouse.upstream.allow-insecure-loopback=true)");
			}
		}
		return Optional.empty();
	}

	/** Whether a host name or literal is a loopback address, judged without DNS. */
	public static boolean isLoopbackHost(String host) {
		String h = host.toLowerCase(Locale.ROOT);
		if (h.startsWith("[") && h.endsWith("]")) {
			h = h.substring(1, h.length() - 1);
		}
		return h.equals("localhost") || h.equals("::1") || h.equals("0:0:0:0:0:0:0:1")
				|| h.matches("127(\\.\\d{1,3}){3}");
	}
}
