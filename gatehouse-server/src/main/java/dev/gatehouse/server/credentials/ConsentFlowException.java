package dev.gatehouse.server.credentials;

/**
 * A consent flow that stops: a link that is not valid, a user who is not the one the link is for, a callback that
 * fails a check, an authorization server that refused. The page shows {@link #getMessage()}, written for the
 * person in the browser; it never contains a code, state, token or secret. Nothing is stored.
 */
public final class ConsentFlowException extends RuntimeException {

	/** What went wrong, with the HTTP status of the page and the reason recorded in the audit trail. */
	public enum Failure {

		INVALID_LINK(400), LINK_EXPIRED(410), LINK_USED(409), WRONG_USER(403), NO_SCOPE(403), TARGET_UNAVAILABLE(502),
		STATE_MISSING(400), STATE_UNKNOWN(400), STATE_REPLAYED(409), TARGET_MISMATCH(400), TRANSACTION_EXPIRED(410),
		BROWSER_MISMATCH(403), ISSUER_MISSING(400), ISSUER_MISMATCH(400), DENIED(403), AUTHORIZATION_ERROR(502),
		CODE_MISSING(400), VERIFIER_UNAVAILABLE(400), EXCHANGE_FAILED(502);

		private final int status;

		Failure(int status) {
			this.status = status;
		}

		public int status() {
			return status;
		}

		/** The reason as the audit trail records it, such as {@code state_replayed}. */
		public String reason() {
			return name().toLowerCase(java.util.Locale.ROOT);
		}
	}

	private final Failure failure;

	private final String target;

	ConsentFlowException(Failure failure, String target, String message) {
		super(message, null, false, false);
		this.failure = failure;
		this.target = target;
	}

	public Failure failure() {
		return failure;
	}

	public String target() {
		return target;
	}
}
