package dev.gatehouse.server.access;

import org.springframework.security.web.firewall.StrictHttpFirewall;

/**
 * The header rules of Spring Security's {@link StrictHttpFirewall}, without regular expressions. Its defaults
 * ({@code [\p{IsAssigned}&&[^\p{IsControl}]]*} for names, the same plus tab for values) run a regex over every
 * header each time it is read; a 900-character bearer token cost about 3 % of the gateway's CPU per
 * {@code tools/call}. These predicates accept exactly the same strings (a test compares them with the firewall's
 * own on every code point), with a fast path for printable ASCII.
 */
final class HeaderValues {

	private HeaderValues() {
	}

	/** {@link StrictHttpFirewall#ALLOWED_HEADER_VALUES}: assigned code points, no control character but tab. */
	static boolean allowedValue(String value) {
		return allowed(value, true);
	}

	/** {@link StrictHttpFirewall#ALLOWED_HEADER_NAMES}: assigned code points, no control character. */
	static boolean allowedName(String name) {
		return allowed(name, false);
	}

	/** A firewall with the default rules, checked by {@link #allowedName} and {@link #allowedValue}. */
	static StrictHttpFirewall firewall() {
		StrictHttpFirewall firewall = new StrictHttpFirewall();
		firewall.setAllowedHeaderNames(HeaderValues::allowedName);
		firewall.setAllowedHeaderValues(HeaderValues::allowedValue);
		return firewall;
	}

	private static boolean allowed(String text, boolean tab) {
		int length = text.length();
		for (int i = 0; i < length; i++) {
			char c = text.charAt(i);
			if (c >= 0x20 && c < 0x7f) {
				continue;
			}
			if (c == '\t' && tab) {
				continue;
			}
			return allowedFrom(text, i, tab);
		}
		return true;
	}

	/** The slow path, by code point, as {@code java.util.regex} matches them. */
	private static boolean allowedFrom(String text, int from, boolean tab) {
		int i = from;
		while (i < text.length()) {
			int cp = text.codePointAt(i);
			int type = Character.getType(cp);
			if (type == Character.UNASSIGNED || (type == Character.CONTROL && !(tab && cp == '\t'))) {
				return false;
			}
			i += Character.charCount(cp);
		}
		return true;
	}
}
