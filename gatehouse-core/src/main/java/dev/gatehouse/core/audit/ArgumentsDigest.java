package dev.gatehouse.core.audit;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * {@code sha256:<hex>} of a JSON value in a canonical form (object members sorted by name, no insignificant
 * whitespace), so that equal arguments give equal digests whatever their member order. Also used for tool
 * definition hashes ("rug pull" detection).
 */
public final class ArgumentsDigest {

	private ArgumentsDigest() {
	}

	public static String of(@Nullable JsonNode value) {
		return "sha256:" + sha256Hex(canonical(value));
	}

	/** The hex SHA-256 of the canonical form. */
	public static String sha256Hex(String canonical) {
		try {
			MessageDigest sha = MessageDigest.getInstance("SHA-256");
			return HexFormat.of().formatHex(sha.digest(canonical.getBytes(StandardCharsets.UTF_8)));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-256 is always available", ex);
		}
	}

	/** The canonical JSON text of a value; {@code null} or missing becomes {@code null}. */
	public static String canonical(@Nullable JsonNode value) {
		StringBuilder out = new StringBuilder();
		write(value, out);
		return out.toString();
	}

	private static void write(@Nullable JsonNode node, StringBuilder out) {
		if (node == null || node.isNull() || node.isMissingNode()) {
			out.append("null");
		}
		else if (node.isObject()) {
			List<String> names = new ArrayList<>(node.propertyNames());
			Collections.sort(names);
			out.append('{');
			for (int i = 0; i < names.size(); i++) {
				if (i > 0) {
					out.append(',');
				}
				out.append(tools.jackson.databind.node.JsonNodeFactory.instance.stringNode(names.get(i)).toString());
				out.append(':');
				write(node.get(names.get(i)), out);
			}
			out.append('}');
		}
		else if (node.isArray()) {
			out.append('[');
			for (int i = 0; i < node.size(); i++) {
				if (i > 0) {
					out.append(',');
				}
				write(node.get(i), out);
			}
			out.append(']');
		}
		else {
			out.append(node.toString());
		}
	}
}
