package dev.gatehouse.demo.idp;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Set;

import org.jspecify.annotations.Nullable;

/**
 * Rules for redirect URIs.
 *
 * <p>
 * A pre-registered client (the gateway) may use any absolute {@code http}/{@code https}
 * URI without a fragment. A dynamically registered client, which nobody vetted, must use
 * {@code https}, or {@code http} on a loopback host (native and CLI clients such as
 * Claude Code listen on {@code http://127.0.0.1:<ephemeral>/callback}).
 *
 * @see <a href="https://datatracker.ietf.org/doc/html/rfc6749#section-3.1.2">RFC 6749
 * section 3.1.2</a>
 * @see <a href="https://datatracker.ietf.org/doc/html/rfc8252#section-7.3">RFC 8252
 * section 7.3 (loopback redirection)</a>
 */
final class RedirectUris {

	private static final Set<String> LOOPBACK_HOSTS = Set.of("127.0.0.1", "localhost", "[::1]");

	private RedirectUris() {
	}

	/**
	 * Checks a pre-registered redirect URI.
	 * @param uri the URI
	 * @param name the argument name for the message
	 * @throws IllegalArgumentException if it is not an absolute http(s) URI without a
	 * fragment
	 */
	static void requireValid(String uri, String name) {
		URI parsed = parse(uri);
		if (parsed == null || !isHttp(parsed) || parsed.getRawFragment() != null || parsed.getHost() == null) {
			throw new IllegalArgumentException(
					name + " must be absolute http(s) URIs without a fragment but contained '" + uri + "'");
		}
	}

	/**
	 * Whether a dynamically registered client may use this redirect URI.
	 * @param uri the URI from the registration request
	 * @return {@code true} for {@code https} URIs and {@code http} URIs on a loopback host,
	 * without fragment and without user info
	 */
	static boolean isAllowedForDynamicClient(String uri) {
		URI parsed = parse(uri);
		if (parsed == null || !isHttp(parsed) || parsed.getHost() == null || parsed.getRawFragment() != null
				|| parsed.getRawUserInfo() != null) {
			return false;
		}
		return "https".equals(scheme(parsed)) || LOOPBACK_HOSTS.contains(parsed.getHost().toLowerCase(Locale.ROOT));
	}

	private static boolean isHttp(URI uri) {
		String scheme = scheme(uri);
		return uri.isAbsolute() && !uri.isOpaque() && ("http".equals(scheme) || "https".equals(scheme));
	}

	private static String scheme(URI uri) {
		return (uri.getScheme() != null) ? uri.getScheme().toLowerCase(Locale.ROOT) : "";
	}

	private static @Nullable URI parse(String uri) {
		try {
			return new URI(uri);
		}
		catch (URISyntaxException ex) {
			return null;
		}
	}

}
