package dev.gatehouse.core.mcp;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * How an upstream tool or prompt name becomes the name an agent sees: {@code {target}{separator}{name}}
 * ({@code risk-assessment-mcp___analyze}), kept valid under the MCP tool-name rules.
 * <p>
 * MCP 2025-11-25 says tool names SHOULD be 1–128 characters of {@code [A-Za-z0-9_.-]}. An upstream name with
 * other characters is sanitised (each one becomes {@code _}) and one that would exceed 128 characters is cut
 * and given a hash suffix; the catalog keeps the map back to the upstream name, so the mapping stays
 * reversible even when the string is not.
 *
 * @see <a href="https://modelcontextprotocol.io/specification/2025-11-25/server/tools#tool-names">Tool names</a>
 */
public final class ExposedNames {

	/** The longest tool name MCP recommends. */
	public static final int MAX_LENGTH = 128;

	private static final Pattern VALID = Pattern.compile("[A-Za-z0-9_.\\-]{1,128}");

	private static final Pattern INVALID_CHAR = Pattern.compile("[^A-Za-z0-9_.\\-]");

	private final String separator;

	/**
	 * @param separator placed between the target name and the upstream name; 1–8 characters of
	 * {@code [A-Za-z0-9_.-]}
	 */
	public ExposedNames(String separator) {
		Objects.requireNonNull(separator, "separator must not be null");
		if (separator.isEmpty() || separator.length() > 8 || !VALID.matcher(separator).matches()) {
			throw new IllegalArgumentException(
					"the tool name separator must be 1 to 8 characters of letters, digits, '_', '.' or '-'");
		}
		this.separator = separator;
	}

	public String separator() {
		return separator;
	}

	/** Whether a name is a valid MCP tool name. */
	public static boolean isValid(String name) {
		return VALID.matcher(name).matches();
	}

	/**
	 * The exposed name of an upstream tool or prompt.
	 * @param prefix the target's prefix, or {@code null} for a target exposed without one
	 * @param upstreamName the name the upstream uses
	 */
	public String expose(@org.jspecify.annotations.Nullable String prefix, String upstreamName) {
		String base = (prefix == null) ? upstreamName : prefix + separator + upstreamName;
		if (isValid(base)) {
			return base;
		}
		String sanitised = INVALID_CHAR.matcher(base).replaceAll("_");
		if (sanitised.isEmpty()) {
			sanitised = "_";
		}
		if (sanitised.length() <= MAX_LENGTH) {
			return sanitised;
		}
		String suffix = "-" + shortHash(upstreamName);
		int keep = Math.min(sanitised.length(), MAX_LENGTH - suffix.length());
		return sanitised.substring(0, keep) + suffix;
	}

	/** A different but stable name, for when {@link #expose} collides with another target's tool. */
	public String disambiguate(String exposed, String target) {
		String suffix = "-" + shortHash(target + "\u0000" + exposed);
		int keep = Math.min(exposed.length(), MAX_LENGTH - suffix.length());
		return exposed.substring(0, keep) + suffix;
	}

	private static String shortHash(String value) {
		try {
			byte[] digest = MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
			return HexFormat.of().formatHex(digest, 0, 4);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-256 is always available", ex);
		}
	}
}
