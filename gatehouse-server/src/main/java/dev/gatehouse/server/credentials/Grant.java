package dev.gatehouse.server.credentials;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * An upstream grant as users and admins see it: whose, for which target, with which scopes, and its state.
 * Never its tokens.
 *
 * @param id a random, non-secret id
 * @param target the target's name
 * @param issuer the owner's issuer ({@value #CLIENT_CREDENTIALS_ISSUER} for a client-credentials grant)
 * @param subject the owner's subject (the target's name for a client-credentials grant)
 * @param grantType {@code authorization_code} or {@code client_credentials}
 * @param status {@code active}, {@code reconsent_required} or {@code pending}
 * @param statusReason why it needs consent again, or {@code null}
 * @param authorizationServer the issuer (or token endpoint) that issued the tokens
 * @param clientId the gateway's client id there
 * @param scopes the granted scopes
 * @param accessExpiresAt when the current access token expires, or {@code null} when there is none
 * @param hasRefreshToken whether a refresh token is held
 * @param refreshFailures transient refresh failures since the last success
 * @param createdAt when the user connected
 * @param lastUsedAt when a call last used it (updated at most once a minute), or {@code null}
 * @param lastRefreshedAt when it was last refreshed, or {@code null}
 * @param version increases with every change of the tokens
 */
public record Grant(String id, String target, String issuer, String subject, String grantType, String status,
		@Nullable String statusReason, String authorizationServer, String clientId, List<String> scopes,
		@Nullable Instant accessExpiresAt, boolean hasRefreshToken, int refreshFailures, Instant createdAt,
		@Nullable Instant lastUsedAt, @Nullable Instant lastRefreshedAt, long version) {

	/** The owner issuer of client-credentials grants, which belong to a target rather than a user. */
	public static final String CLIENT_CREDENTIALS_ISSUER = "urn:gatehouse:client-credentials";

	public static final String ACTIVE = "active";

	public static final String RECONSENT_REQUIRED = "reconsent_required";

	public static final String PENDING = "pending";

	public Grant {
		Objects.requireNonNull(id, "id must not be null");
		Objects.requireNonNull(target, "target must not be null");
		scopes = List.copyOf(scopes);
	}

	public boolean active() {
		return ACTIVE.equals(status);
	}
}
