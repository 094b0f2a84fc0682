package dev.gatehouse.demo.host;

import java.util.List;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * One request to a bearer-protected {@link McpServerHost} as the host judged it, for
 * tests ({@link McpServerHost#observedTokens()}). It never holds the token, only its
 * SHA-256; the claims are set only for tokens whose signature and issuer were verified.
 *
 * @param method the JSON-RPC method of a POST ({@code initialize}, {@code tools/call},
 * ...; {@code response} for a JSON-RPC response, {@code invalid} for a body that is not
 * JSON-RPC), or the HTTP method of a GET or DELETE
 * @param subject the token's {@code sub}
 * @param clientId the token's {@code client_id}
 * @param audience the token's {@code aud}, empty if unknown
 * @param scope the token's {@code scope}, space-separated
 * @param tokenSha256 the lower-case hex SHA-256 of the token, empty if no token was sent
 * @param rejection {@code null} if the request was let through, else why it was not:
 * {@code missing}, {@code malformed}, {@code signature} (bad signature, unknown key, an
 * algorithm other than RS256 and ES256, or {@code alg: none}), {@code type},
 * {@code issuer}, {@code audience}, {@code expired}, {@code not_yet_valid},
 * {@code keys_unavailable} or {@code insufficient_scope}
 */
public record ObservedToken(String method, @Nullable String subject, @Nullable String clientId,
		List<String> audience, @Nullable String scope, String tokenSha256, @Nullable String rejection) {

	/**
	 * Checks and copies the components.
	 * @param method not null
	 * @param subject may be null
	 * @param clientId may be null
	 * @param audience not null; copied
	 * @param scope may be null
	 * @param tokenSha256 not null
	 * @param rejection may be null
	 */
	public ObservedToken {
		Objects.requireNonNull(method, "method must not be null");
		audience = List.copyOf(Objects.requireNonNull(audience, "audience must not be null"));
		Objects.requireNonNull(tokenSha256, "tokenSha256 must not be null");
	}

	/**
	 * Whether the request reached the MCP server.
	 * @return {@code true} if it was not rejected
	 */
	public boolean accepted() {
		return this.rejection == null;
	}

}
