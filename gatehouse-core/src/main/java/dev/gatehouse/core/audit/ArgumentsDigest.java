package dev.gatehouse.core.audit;

import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;

import dev.gatehouse.core.crypto.Sha256;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code sha256:<hex>} of a JSON value in a canonical form (object members sorted by name, no insignificant
 * whitespace), so that equal arguments give equal digests whatever their member order. Also used for tool
 * definition hashes ("rug pull" detection).
 */
public final class ArgumentsDigest {

	private static final JsonMapper JSON = JsonMapper.shared();

	private ArgumentsDigest() {
	}

	public static String of(@Nullable JsonNode value) {
		return "sha256:" + sha256Hex(canonical(value));
	}

	/** The hex SHA-256 of the canonical form. */
	public static String sha256Hex(String canonical) {
		return HexFormat.of().formatHex(Sha256.digest(canonical.getBytes(StandardCharsets.UTF_8)));
	}

	/** The canonical JSON text of a value; {@code null} or missing becomes {@code null}. */
	public static String canonical(@Nullable JsonNode value) {
		StringWriter out = new StringWriter(256);
		// One generator for the whole value: each name and leaf is escaped exactly as JsonNode.toString() escapes it
		// (same shared mapper, same generator), without serialising every member on its own.
		try (JsonGenerator generator = JSON.createGenerator(out)) {
			write(value, generator);
		}
		return out.toString();
	}

	private static void write(@Nullable JsonNode node, JsonGenerator out) {
		if (node == null || node.isNull() || node.isMissingNode()) {
			out.writeNull();
		}
		else if (node.isObject()) {
			String[] names = node.propertyNames().toArray(new String[0]);
			Arrays.sort(names);
			out.writeStartObject();
			for (String name : names) {
				out.writeName(name);
				write(node.get(name), out);
			}
			out.writeEndObject();
		}
		else if (node.isArray()) {
			out.writeStartArray();
			for (int i = 0; i < node.size(); i++) {
				write(node.get(i), out);
			}
			out.writeEndArray();
		}
		else if (node.isString()) {
			out.writeString(node.stringValue());
		}
		else if (node.isBoolean()) {
			out.writeBoolean(node.booleanValue());
		}
		else if (node.isInt()) {
			out.writeNumber(node.intValue());
		}
		else if (node.isLong()) {
			out.writeNumber(node.longValue());
		}
		else {
			// Other numbers, binary and POJO values: through the node's own serializer, as toString() does.
			JSON.writeValue(out, node);
		}
	}
}
