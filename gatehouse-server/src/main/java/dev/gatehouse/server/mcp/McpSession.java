package dev.gatehouse.server.mcp;

import java.time.Instant;
import java.util.Objects;

import dev.gatehouse.core.mcp.ClientCapabilities;
import dev.gatehouse.core.mcp.ProtocolVersion;

/**
 * An MCP session, as sealed into its id: nothing about it is stored on the instance that created it.
 *
 * @param id the {@code Mcp-Session-Id} value
 * @param key a non-secret identifier for logs, audit and the session state table (hex SHA-256 of the id,
 * shortened)
 * @param createdAt when {@code initialize} was answered
 * @param version the negotiated revision
 * @param capabilities what the agent declared
 * @param owner the digest of the (issuer, subject) that created it
 */
public record McpSession(String id, String key, Instant createdAt, ProtocolVersion version,
		ClientCapabilities capabilities, byte[] owner) {

	public McpSession {
		Objects.requireNonNull(id, "id must not be null");
		Objects.requireNonNull(key, "key must not be null");
		Objects.requireNonNull(createdAt, "createdAt must not be null");
		Objects.requireNonNull(version, "version must not be null");
		Objects.requireNonNull(capabilities, "capabilities must not be null");
		Objects.requireNonNull(owner, "owner must not be null");
	}
}
