package dev.gatehouse.bench.load;

import java.util.Locale;
import java.util.Map;

/**
 * Writes maps, lists, strings, numbers, booleans and {@code null} as JSON (the harness's result file), indented
 * two spaces. Doubles get at most three decimals; NaN and infinities become {@code null}.
 */
final class Json {

	private Json() {
	}

	/**
	 * Writes a value.
	 * @param value a {@link Map} (string keys), {@link Iterable}, {@link CharSequence}, {@link Number},
	 * {@link Boolean}, a record-free value's {@code toString()} otherwise, or {@code null}
	 * @return the JSON text
	 */
	static String write(Object value) {
		StringBuilder out = new StringBuilder();
		write(value, out, "");
		return out.append('\n').toString();
	}

	private static void write(Object value, StringBuilder out, String indent) {
		if (value == null) {
			out.append("null");
		}
		else if (value instanceof Map<?, ?> map) {
			writeMap(map, out, indent);
		}
		else if (value instanceof Iterable<?> list) {
			writeList(list, out, indent);
		}
		else if (value instanceof Double || value instanceof Float) {
			double number = ((Number) value).doubleValue();
			out.append(Double.isFinite(number) ? number(number) : "null");
		}
		else if (value instanceof Number || value instanceof Boolean) {
			out.append(value);
		}
		else {
			string(value.toString(), out);
		}
	}

	private static void writeMap(Map<?, ?> map, StringBuilder out, String indent) {
		if (map.isEmpty()) {
			out.append("{}");
			return;
		}
		String inner = indent + "  ";
		out.append("{\n");
		boolean first = true;
		for (Map.Entry<?, ?> entry : map.entrySet()) {
			if (!first) {
				out.append(",\n");
			}
			first = false;
			out.append(inner);
			string(String.valueOf(entry.getKey()), out);
			out.append(": ");
			write(entry.getValue(), out, inner);
		}
		out.append('\n').append(indent).append('}');
	}

	private static void writeList(Iterable<?> list, StringBuilder out, String indent) {
		String inner = indent + "  ";
		out.append('[');
		boolean first = true;
		for (Object item : list) {
			out.append(first ? "\n" : ",\n").append(inner);
			first = false;
			write(item, out, inner);
		}
		out.append(first ? "]" : "\n" + indent + "]");
	}

	static String number(double number) {
		if (number == Math.rint(number) && Math.abs(number) < 1e15) {
			return Long.toString((long) number);
		}
		String text = String.format(Locale.ROOT, "%.3f", number);
		text = text.replaceAll("0+$", "");
		return text.endsWith(".") ? text.substring(0, text.length() - 1) : text;
	}

	private static void string(String text, StringBuilder out) {
		out.append('"');
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			switch (c) {
				case '"' -> out.append("\\\"");
				case '\\' -> out.append("\\\\");
				case '\n' -> out.append("\\n");
				case '\r' -> out.append("\\r");
				case '\t' -> out.append("\\t");
				default -> {
					if (c < 0x20) {
						out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
					}
					else {
						out.append(c);
					}
				}
			}
		}
		out.append('"');
	}

}
