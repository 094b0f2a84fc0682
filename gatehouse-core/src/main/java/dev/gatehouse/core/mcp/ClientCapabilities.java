package dev.gatehouse.core.mcp;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * What an agent declared it can do, reduced to what the gateway acts on.
 *
 * @param sampling it answers {@code sampling/createMessage}
 * @param elicitationForm it answers form-mode {@code elicitation/create}
 * @param elicitationUrl it answers URL-mode {@code elicitation/create} (2025-11-25)
 * @param roots it answers {@code roots/list}
 * @see <a href="https://modelcontextprotocol.io/specification/2025-11-25/basic/lifecycle#capability-negotiation">
 * Capability negotiation</a>
 */
public record ClientCapabilities(boolean sampling, boolean elicitationForm, boolean elicitationUrl, boolean roots) {

	public static final ClientCapabilities NONE = new ClientCapabilities(false, false, false, false);

	private static final int SAMPLING = 1;

	private static final int ELICITATION_FORM = 2;

	private static final int ELICITATION_URL = 4;

	private static final int ROOTS = 8;

	/**
	 * Reads the {@code capabilities} object of an {@code initialize} request. An {@code elicitation} of
	 * {@code {}} means form mode only.
	 */
	public static ClientCapabilities fromJson(@Nullable JsonNode capabilities) {
		if (capabilities == null || !capabilities.isObject()) {
			return NONE;
		}
		JsonNode elicitation = capabilities.get("elicitation");
		boolean hasElicitation = elicitation != null && elicitation.isObject();
		boolean url = hasElicitation && elicitation.has("url");
		boolean form = hasElicitation && (elicitation.has("form") || !url);
		return new ClientCapabilities(isObject(capabilities.get("sampling")), form, url,
				isObject(capabilities.get("roots")));
	}

	private static boolean isObject(@Nullable JsonNode node) {
		return node != null && node.isObject();
	}

	/** Packs the capabilities into the low bits of a byte, for sealed session ids. */
	public int toBits() {
		return (sampling ? SAMPLING : 0) | (elicitationForm ? ELICITATION_FORM : 0)
				| (elicitationUrl ? ELICITATION_URL : 0) | (roots ? ROOTS : 0);
	}

	public static ClientCapabilities fromBits(int bits) {
		return new ClientCapabilities((bits & SAMPLING) != 0, (bits & ELICITATION_FORM) != 0,
				(bits & ELICITATION_URL) != 0, (bits & ROOTS) != 0);
	}

	/** Whether the agent can answer a server→client request with this method (and, for elicitation, mode). */
	public boolean supports(String method, @Nullable String elicitationMode) {
		return switch (method) {
			case "sampling/createMessage" -> sampling;
			case "roots/list" -> roots;
			case "elicitation/create" -> "url".equals(elicitationMode) ? elicitationUrl : elicitationForm;
			case "ping" -> true;
			default -> false;
		};
	}
}
