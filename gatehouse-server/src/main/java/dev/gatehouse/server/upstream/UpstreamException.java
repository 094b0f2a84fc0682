package dev.gatehouse.server.upstream;

import java.util.Objects;

/**
 * A target that failed: unreachable, slow, refusing the gateway's credential, or answering with something that
 * is not MCP. The message names the target and what went wrong, never a credential.
 */
public final class UpstreamException extends RuntimeException {

	/** What kind of failure. */
	public enum Kind {

		/** Connection refused, DNS failure, TLS failure, connection reset. */
		UNREACHABLE,
		/** No answer within the timeout, or the call's hard limit passed. */
		TIMEOUT,
		/** The egress policy refused the address. */
		EGRESS_DENIED,
		/** 401 or 403: the target refused the gateway's credential. */
		UNAUTHORIZED,
		/** An HTTP error status without a JSON-RPC error. */
		HTTP_STATUS,
		/** Not MCP: bad content type, invalid JSON, a stream that ended without an answer. */
		PROTOCOL,
		/** The call was cancelled by the agent. */
		CANCELLED

	}

	private final Kind kind;

	private final String target;

	private final int httpStatus;

	public UpstreamException(Kind kind, String target, String message) {
		this(kind, target, 0, message, null);
	}

	public UpstreamException(Kind kind, String target, int httpStatus, String message, Throwable cause) {
		super(message, cause, false, false);
		this.kind = Objects.requireNonNull(kind, "kind must not be null");
		this.target = Objects.requireNonNull(target, "target must not be null");
		this.httpStatus = httpStatus;
	}

	public Kind kind() {
		return kind;
	}

	public String target() {
		return target;
	}

	/** The HTTP status the target answered with, or 0. */
	public int httpStatus() {
		return httpStatus;
	}
}
