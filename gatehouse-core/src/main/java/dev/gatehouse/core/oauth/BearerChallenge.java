package dev.gatehouse.core.oauth;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

/**
 * The parameters of a {@code Bearer} challenge in a {@code WWW-Authenticate} header (RFC 6750 §3, RFC 9728 §5.1),
 * such as {@code Bearer error="insufficient_scope", scope="a b", resource_metadata="https://…"}. Other schemes in
 * the same header are skipped. Parameter names are case-insensitive; values may be quoted strings or tokens.
 *
 * @param parameters the parameters, names in lower case
 * @see <a href="https://datatracker.ietf.org/doc/html/rfc9110#section-11.2">RFC 9110 §11.2</a>
 */
public record BearerChallenge(Map<String, String> parameters) {

	public BearerChallenge {
		parameters = Map.copyOf(parameters);
	}

	/** The Bearer challenge among the header values, if there is one. */
	public static Optional<BearerChallenge> parse(List<String> headerValues) {
		for (String value : headerValues) {
			Optional<BearerChallenge> challenge = parse(value);
			if (challenge.isPresent()) {
				return challenge;
			}
		}
		return Optional.empty();
	}

	static Optional<BearerChallenge> parse(String header) {
		Tokenizer t = new Tokenizer(header);
		while (!t.atEnd()) {
			String scheme = t.token();
			if (scheme.isEmpty()) {
				t.skipOne();
				continue;
			}
			Map<String, String> params = t.parameters();
			if (scheme.equalsIgnoreCase("Bearer")) {
				return Optional.of(new BearerChallenge(params));
			}
		}
		return Optional.empty();
	}

	public @Nullable String get(String name) {
		return parameters.get(name.toLowerCase(Locale.ROOT));
	}

	public @Nullable String error() {
		return get("error");
	}

	public @Nullable String resourceMetadata() {
		return get("resource_metadata");
	}

	/** The {@code scope} parameter split into scopes, empty when absent. */
	public List<String> scopes() {
		String scope = get("scope");
		return (scope == null || scope.isBlank()) ? List.of() : List.of(scope.trim().split(" +"));
	}

	/** A small RFC 9110 challenge tokenizer: {@code scheme [token68 | #auth-param]} separated by commas. */
	private static final class Tokenizer {

		private final String s;

		private int i;

		Tokenizer(String s) {
			this.s = s;
		}

		boolean atEnd() {
			skipSpace();
			return i >= s.length();
		}

		void skipOne() {
			i++;
		}

		String token() {
			skipSpace();
			int start = i;
			while (i < s.length() && isTokenChar(s.charAt(i))) {
				i++;
			}
			return s.substring(start, i);
		}

		/** Reads {@code name=value} pairs up to the next scheme (a token not followed by '='). */
		Map<String, String> parameters() {
			Map<String, String> params = new LinkedHashMap<>();
			while (true) {
				skipSpaceAndCommas();
				int mark = i;
				String name = token();
				skipSpace();
				if (name.isEmpty() || i >= s.length() || s.charAt(i) != '=') {
					i = mark;
					return params;
				}
				i++;
				skipSpace();
				String value = (i < s.length() && s.charAt(i) == '"') ? quoted() : token68();
				params.putIfAbsent(name.toLowerCase(Locale.ROOT), value);
			}
		}

		private String quoted() {
			StringBuilder out = new StringBuilder();
			i++;
			while (i < s.length() && s.charAt(i) != '"') {
				char c = s.charAt(i++);
				if (c == '\\' && i < s.length()) {
					c = s.charAt(i++);
				}
				out.append(c);
			}
			i++;
			return out.toString();
		}

		private String token68() {
			int start = i;
			while (i < s.length() && s.charAt(i) != ',' && s.charAt(i) != ' ') {
				i++;
			}
			return s.substring(start, i);
		}

		private void skipSpace() {
			while (i < s.length() && (s.charAt(i) == ' ' || s.charAt(i) == '\t')) {
				i++;
			}
		}

		private void skipSpaceAndCommas() {
			while (i < s.length() && (s.charAt(i) == ' ' || s.charAt(i) == '\t' || s.charAt(i) == ',')) {
				i++;
			}
		}

		private static boolean isTokenChar(char c) {
			return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
					|| "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
		}
	}
}
