package dev.gatehouse.core.mcp;

import java.util.Objects;
import java.util.Optional;

/**
 * The reversible mapping of upstream resource URIs: {@code test://static-text} of target {@code docs} becomes
 * {@code docs+test://static-text}.
 * <p>
 * The target name becomes part of the URI scheme ({@code docs+test}), which RFC 3986 allows ({@code ALPHA
 * *( ALPHA / DIGIT / "+" / "-" / "." )}) because target names start with a letter and contain only letters,
 * digits and {@code -}. Resource templates map the same way, so a template's variables stay where they were.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc3986#section-3.1">RFC 3986 §3.1</a>
 */
public final class ResourceUris {

	private ResourceUris() {
	}

	/** A target and the URI its upstream uses. */
	public record Qualified(String target, String uri) {

		public Qualified {
			Objects.requireNonNull(target, "target must not be null");
			Objects.requireNonNull(uri, "uri must not be null");
		}
	}

	public static String expose(String target, String upstreamUri) {
		return target + "+" + upstreamUri;
	}

	/** Splits an exposed URI into target and upstream URI; empty if it has no target part. */
	public static Optional<Qualified> parse(String exposedUri) {
		int plus = exposedUri.indexOf('+');
		int colon = exposedUri.indexOf(':');
		if (plus <= 0 || (colon >= 0 && colon < plus)) {
			return Optional.empty();
		}
		String rest = exposedUri.substring(plus + 1);
		if (rest.isEmpty()) {
			return Optional.empty();
		}
		return Optional.of(new Qualified(exposedUri.substring(0, plus), rest));
	}
}
