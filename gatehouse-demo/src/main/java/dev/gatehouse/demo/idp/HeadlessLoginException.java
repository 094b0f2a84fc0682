package dev.gatehouse.demo.idp;

import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * A {@link HeadlessLogin} step failed. The message names the step, the HTTP status and,
 * when the server sent one, the OAuth error code; it never contains a token, a code or a
 * password.
 */
public final class HeadlessLoginException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	/**
	 * The steps of a headless login, in flow order.
	 */
	public enum Step {

		/** Reading the RFC 8414 metadata document. */
		DISCOVERY,
		/** RFC 7591 dynamic client registration. */
		REGISTRATION,
		/** {@code GET /oauth2/authorize} and the redirects before the login page. */
		AUTHORIZATION_REQUEST,
		/** Reading the login form and posting the credentials. */
		LOGIN,
		/** Posting the consent form, if the provider shows one. */
		CONSENT,
		/** The redirect to the client's redirect URI: an error, or a wrong {@code state}. */
		AUTHORIZATION_RESPONSE,
		/** The token request that exchanges the code. */
		TOKEN,
		/** A refresh token request. */
		REFRESH

	}

	private final Step step;

	private final int status;

	private final @Nullable String error;

	HeadlessLoginException(Step step, int status, @Nullable String error, String detail) {
		this(step, status, error, detail, null);
	}

	HeadlessLoginException(Step step, int status, @Nullable String error, String detail, @Nullable Throwable cause) {
		super(message(step, status, error, detail), cause);
		this.step = Objects.requireNonNull(step, "step must not be null");
		this.status = status;
		this.error = error;
	}

	private static String message(Step step, int status, @Nullable String error, String detail) {
		StringBuilder message = new StringBuilder(step.name()).append(" failed");
		if (status > 0) {
			message.append(": HTTP ").append(status);
		}
		if (error != null) {
			message.append(' ').append(error);
		}
		return message.append(": ").append(detail).toString();
	}

	/**
	 * The step that failed.
	 * @return the step
	 */
	public Step step() {
		return this.step;
	}

	/**
	 * The HTTP status of the response that showed the failure.
	 * @return the status, or {@code 0} if there was no response (connection failure,
	 * timeout, interruption)
	 */
	public int status() {
		return this.status;
	}

	/**
	 * The OAuth error code the server returned ({@code invalid_grant},
	 * {@code invalid_target}, {@code invalid_redirect_uri}, ...), if any.
	 * @return the code, or {@code null}
	 */
	public @Nullable String error() {
		return this.error;
	}

}
