package dev.gatehouse.core.oauth;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * The PKCE code challenge sent in the authorization request. It can only be computed from a verifier with
 * {@code S256}: the gateway never uses {@code plain}, which would expose the verifier.
 *
 * @param value {@code BASE64URL(SHA256(ASCII(code_verifier)))}
 * @see <a href="https://datatracker.ietf.org/doc/html/rfc7636#section-4.2">RFC 7636 §4.2</a>
 * @see <a href="https://datatracker.ietf.org/doc/html/rfc9700#section-2.1.1">RFC 9700 §2.1.1</a>
 */
public record PkceChallenge(String value) {

	/** The only method the gateway uses. */
	public static final String METHOD = "S256";

	public PkceChallenge {
		Objects.requireNonNull(value, "value must not be null");
	}

	public static PkceChallenge s256(CodeVerifier verifier) {
		byte[] digest = RandomTokens.sha256(verifier.value().reveal().getBytes(StandardCharsets.US_ASCII));
		return new PkceChallenge(RandomTokens.base64url(digest));
	}

	public String method() {
		return METHOD;
	}
}
