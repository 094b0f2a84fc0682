package dev.gatehouse.core.policy;

import java.util.regex.Pattern;

/**
 * A name pattern: {@code *} matches any run of characters, {@code ?} one character; everything else is literal.
 */
record Glob(String pattern, Pattern regex) {

	static Glob of(String pattern) {
		StringBuilder regex = new StringBuilder();
		StringBuilder literal = new StringBuilder();
		for (char c : pattern.toCharArray()) {
			if (c == '*' || c == '?') {
				if (literal.length() > 0) {
					regex.append(Pattern.quote(literal.toString()));
					literal.setLength(0);
				}
				regex.append(c == '*' ? ".*" : ".");
			}
			else {
				literal.append(c);
			}
		}
		if (literal.length() > 0) {
			regex.append(Pattern.quote(literal.toString()));
		}
		return new Glob(pattern, Pattern.compile(regex.toString(), Pattern.DOTALL));
	}

	boolean matches(String value) {
		return pattern.equals("*") || regex.matcher(value).matches();
	}

	@Override
	public String toString() {
		return pattern;
	}
}
