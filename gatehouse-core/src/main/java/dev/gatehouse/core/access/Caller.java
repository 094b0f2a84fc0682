package dev.gatehouse.core.access;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Objects;
import java.util.Set;

import dev.gatehouse.core.crypto.Sha256;
import org.jspecify.annotations.Nullable;

/**
 * An authenticated caller of the gateway.
 *
 * @param issuer the token issuer ({@code iss}), or {@code local} for the development user
 * @param subject the subject ({@code sub}) at that issuer
 * @param clientId the OAuth client the agent used, or {@code null}
 * @param roles the gateway roles the caller holds
 * @param scopes the OAuth scopes of the caller's token
 */
public record Caller(String issuer, String subject, @Nullable String clientId, Set<String> roles, Set<String> scopes) {

	/** The issuer of the development-only local user. */
	public static final String LOCAL_ISSUER = "local";

	public Caller {
		Objects.requireNonNull(issuer, "issuer must not be null");
		Objects.requireNonNull(subject, "subject must not be null");
		roles = Set.copyOf(roles);
		scopes = Set.copyOf(scopes);
	}

	/**
	 * 16 bytes that identify (issuer, subject) without revealing them, to bind sessions and sealed state to a
	 * user.
	 */
	public byte[] digest() {
		MessageDigest sha = Sha256.newDigest();
		sha.update(issuer.getBytes(StandardCharsets.UTF_8));
		sha.update((byte) 0);
		sha.update(subject.getBytes(StandardCharsets.UTF_8));
		byte[] full = sha.digest();
		byte[] out = new byte[16];
		System.arraycopy(full, 0, out, 0, 16);
		return out;
	}

	/** Whether this caller is the same user (issuer and subject) as {@code other}. */
	public boolean sameUser(Caller other) {
		return issuer.equals(other.issuer) && subject.equals(other.subject);
	}
}
