package dev.gatehouse.core.mcp;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The MCP revisions the gateway speaks with agents, oldest first.
 * <p>
 * 2025-03-26 to 2025-11-25 are session-based (an {@code initialize} handshake and an {@code MCP-Session-Id});
 * 2026-07-28 is stateless (no {@code initialize}, every request carries its version and capabilities).
 *
 * @see <a href="https://modelcontextprotocol.io/specification/2025-11-25/basic/lifecycle#version-negotiation">
 * Version negotiation</a>
 */
public enum ProtocolVersion {

	V2025_03_26("2025-03-26"),

	V2025_06_18("2025-06-18"),

	V2025_11_25("2025-11-25"),

	V2026_07_28("2026-07-28");

	/** The newest session-based revision, answered to an {@code initialize} asking for one we do not speak. */
	public static final ProtocolVersion LATEST_SESSION = V2025_11_25;

	/** Assumed when a request has no {@code MCP-Protocol-Version} header and no session says otherwise. */
	public static final ProtocolVersion DEFAULT_WITHOUT_HEADER = V2025_03_26;

	private final String id;

	ProtocolVersion(String id) {
		this.id = id;
	}

	/** The revision's name on the wire, such as {@code 2025-11-25}. */
	public String id() {
		return id;
	}

	public static Optional<ProtocolVersion> find(String id) {
		for (ProtocolVersion version : values()) {
			if (version.id.equals(id)) {
				return Optional.of(version);
			}
		}
		return Optional.empty();
	}

	/** The session-based revisions an {@code initialize} may negotiate. */
	public static List<ProtocolVersion> sessionVersions() {
		return Arrays.stream(values()).filter((v) -> !v.isStateless()).toList();
	}

	public static List<String> ids() {
		return Arrays.stream(values()).map(ProtocolVersion::id).toList();
	}

	/** 2026-07-28 and later: no sessions, no {@code initialize}. */
	public boolean isStateless() {
		return this == V2026_07_28;
	}

	/** Only 2025-03-26 lets a POST carry a JSON array of messages. */
	public boolean allowsBatches() {
		return this == V2025_03_26;
	}

	/** Tool titles, {@code outputSchema} and {@code structuredContent} (2025-06-18 and later). */
	public boolean hasStructuredOutput() {
		return compareTo(V2025_06_18) >= 0;
	}

	/** URL-mode elicitation and the {@code -32042} error (2025-11-25 and later). */
	public boolean hasUrlElicitation() {
		return compareTo(V2025_11_25) >= 0;
	}

	/** The version an {@code initialize} for {@code requested} negotiates: the same if spoken, else the latest. */
	public static ProtocolVersion negotiate(String requested) {
		return find(requested).filter((v) -> !v.isStateless()).orElse(LATEST_SESSION);
	}

	@Override
	public String toString() {
		return id;
	}
}
