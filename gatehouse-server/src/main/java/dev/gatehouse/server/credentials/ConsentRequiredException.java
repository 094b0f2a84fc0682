package dev.gatehouse.server.credentials;

import java.net.URI;
import java.time.Instant;
import java.util.Objects;

/**
 * The caller has no usable grant for an OAuth 2.0 target: the user must open {@link #url()} in a browser and
 * authorise the target. The agent is shown the link (as a URL elicitation where it can take one), never a token.
 */
public final class ConsentRequiredException extends RuntimeException {

	/** Why consent is needed. */
	public enum Reason {

		/** The user never connected this target (or disconnected it). */
		NOT_CONNECTED,
		/** The grant stopped working ({@code invalid_grant} on refresh, a revoked grant). */
		EXPIRED

	}

	private final String target;

	private final URI url;

	private final String elicitationId;

	private final Instant expiresAt;

	private final Reason reason;

	ConsentRequiredException(String target, URI url, String elicitationId, Instant expiresAt, Reason reason) {
		super(message(target, reason), null, false, false);
		this.target = Objects.requireNonNull(target, "target must not be null");
		this.url = Objects.requireNonNull(url, "url must not be null");
		this.elicitationId = Objects.requireNonNull(elicitationId, "elicitationId must not be null");
		this.expiresAt = Objects.requireNonNull(expiresAt, "expiresAt must not be null");
		this.reason = Objects.requireNonNull(reason, "reason must not be null");
	}

	private static String message(String target, Reason reason) {
		return (reason == Reason.EXPIRED)
				? "Your authorization for '" + target + "' has expired or was revoked: open the link to connect it again, "
						+ "then retry"
				: "'" + target + "' needs your authorization: open the link to connect your account, then retry";
	}

	public String target() {
		return target;
	}

	/** The single-use consent link, {@code {public-url}/connect/{target}?request=…}. */
	public URI url() {
		return url;
	}

	public String elicitationId() {
		return elicitationId;
	}

	public Instant expiresAt() {
		return expiresAt;
	}

	public Reason reason() {
		return reason;
	}
}
