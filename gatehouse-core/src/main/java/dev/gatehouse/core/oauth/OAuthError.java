package dev.gatehouse.core.oauth;

import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * An OAuth 2.0 error as an authorization server sent it (RFC 6749 §4.1.2.1, §5.2; RFC 7009 §2.2.1).
 * {@link #describe()} is safe to log and show: the code and description come from the server and carry no
 * token, but they are cut to a sane length and stripped of control characters.
 *
 * @param code the {@code error} code, such as {@code invalid_grant}
 * @param description the {@code error_description}, or {@code null}
 */
public record OAuthError(String code, @Nullable String description) {

	public static final String INVALID_GRANT = "invalid_grant";

	public static final String INVALID_CLIENT = "invalid_client";

	public static final String ACCESS_DENIED = "access_denied";

	public static final String TEMPORARILY_UNAVAILABLE = "temporarily_unavailable";

	public static final String SERVER_ERROR = "server_error";

	public OAuthError {
		Objects.requireNonNull(code, "code must not be null");
		code = clean(code, 64);
		description = (description != null) ? clean(description, 300) : null;
	}

	/** {@code code} or {@code code: description}, for logs, audit records and pages. */
	public String describe() {
		return (description != null && !description.isBlank()) ? code + ": " + description : code;
	}

	private static String clean(String text, int max) {
		String cut = (text.length() > max) ? text.substring(0, max) + "…" : text;
		return cut.replaceAll("\\p{Cntrl}", " ");
	}
}
