package dev.gatehouse.bench.load;

import java.nio.charset.StandardCharsets;

/**
 * Reads one member out of a compact JSON-RPC message without parsing it, for the fake upstream's hot path:
 * the first occurrence of {@code "name"} followed by a colon wins. That is enough for the requests the gateway,
 * nginx and the harness's client send ({@code id}, {@code method} and {@code params.name} come before any nested
 * member of the same name), and far cheaper than a tree. Not a JSON parser: never use it on untrusted input.
 */
final class JsonPeek {

	private JsonPeek() {
	}

	/**
	 * The raw text of a member's value: a number, {@code true}/{@code false}/{@code null}, or a string with its
	 * quotes.
	 * @param json the message bytes
	 * @param from first byte
	 * @param to end (exclusive)
	 * @param name the member name, without quotes
	 * @return the value's raw text, or {@code null} if the member is absent
	 */
	static String rawValue(byte[] json, int from, int to, String name) {
		int start = valueStart(json, from, to, name);
		if (start < 0) {
			return null;
		}
		int end = start;
		if (json[start] == '"') {
			end = stringEnd(json, start + 1, to) + 1;
		}
		else {
			while (end < to && json[end] != ',' && json[end] != '}' && json[end] != ']' && !whitespace(json[end])) {
				end++;
			}
		}
		return new String(json, start, Math.min(end, to) - start, StandardCharsets.UTF_8);
	}

	/**
	 * A string member's value, without quotes (escapes are left as they are).
	 * @param json the message bytes
	 * @param from first byte
	 * @param to end (exclusive)
	 * @param name the member name, without quotes
	 * @return the string, or {@code null} if the member is absent or not a string
	 */
	static String stringValue(byte[] json, int from, int to, String name) {
		int start = valueStart(json, from, to, name);
		if (start < 0 || json[start] != '"') {
			return null;
		}
		int end = stringEnd(json, start + 1, to);
		return new String(json, start + 1, end - start - 1, StandardCharsets.UTF_8);
	}

	/**
	 * Whether {@code needle} occurs in the range.
	 * @param haystack the bytes
	 * @param from first byte
	 * @param to end (exclusive)
	 * @param needle what to look for, non-empty
	 * @return its first index, or -1
	 */
	static int indexOf(byte[] haystack, int from, int to, byte[] needle) {
		byte first = needle[0];
		int last = to - needle.length;
		outer: for (int i = from; i <= last; i++) {
			if (haystack[i] != first) {
				continue;
			}
			for (int j = 1; j < needle.length; j++) {
				if (haystack[i + j] != needle[j]) {
					continue outer;
				}
			}
			return i;
		}
		return -1;
	}

	private static int valueStart(byte[] json, int from, int to, String name) {
		byte[] key = ('"' + name + '"').getBytes(StandardCharsets.UTF_8);
		int at = from;
		while (true) {
			int found = indexOf(json, at, to, key);
			if (found < 0) {
				return -1;
			}
			int i = skipWhitespace(json, found + key.length, to);
			if (i < to && json[i] == ':') {
				i = skipWhitespace(json, i + 1, to);
				return (i < to) ? i : -1;
			}
			at = found + 1;
		}
	}

	private static int stringEnd(byte[] json, int from, int to) {
		int i = from;
		while (i < to && json[i] != '"') {
			i += (json[i] == '\\') ? 2 : 1;
		}
		return Math.min(i, to);
	}

	private static int skipWhitespace(byte[] json, int from, int to) {
		int i = from;
		while (i < to && whitespace(json[i])) {
			i++;
		}
		return i;
	}

	private static boolean whitespace(byte b) {
		return b == ' ' || b == '\n' || b == '\r' || b == '\t';
	}

}
