package dev.gatehouse.server.credentials;

import java.util.Objects;

import dev.gatehouse.core.secret.Secret;

/**
 * What the gateway sends a target to authenticate. {@link #scope()} says who else may share an upstream MCP
 * session opened with it: a static key is shared by all callers, a user's token by that user only.
 */
public sealed interface UpstreamCredential
		permits UpstreamCredential.None, UpstreamCredential.Header, UpstreamCredential.OAuthToken {

	/** The upstream session pool key: callers with the same scope may share a session. */
	String scope();

	/** No credential. */
	record None() implements UpstreamCredential {

		@Override
		public String scope() {
			return "shared";
		}
	}

	/**
	 * A header carrying a secret, such as {@code Authorization: Bearer …} or {@code X-API-Key: …}.
	 *
	 * @param name the header name
	 * @param value the header value; never logged
	 * @param scope who may share a session opened with it
	 */
	record Header(String name, Secret value, String scope) implements UpstreamCredential {

		public Header {
			Objects.requireNonNull(name, "name must not be null");
			Objects.requireNonNull(value, "value must not be null");
			Objects.requireNonNull(scope, "scope must not be null");
		}
	}

	/**
	 * An OAuth 2.0 access token from the vault, sent as {@code Authorization: Bearer …}. Sessions are per grant:
	 * one user's session is never used with another user's token.
	 *
	 * @param token the token and the grant it belongs to
	 */
	record OAuthToken(UpstreamTokens.ActiveToken token) implements UpstreamCredential {

		public OAuthToken {
			Objects.requireNonNull(token, "token must not be null");
		}

		@Override
		public String scope() {
			return "grant:" + token.grantId();
		}

		/** The {@code Authorization} header value. */
		public Secret authorization() {
			return Secret.of("Bearer " + token.accessToken().reveal());
		}
	}

}
