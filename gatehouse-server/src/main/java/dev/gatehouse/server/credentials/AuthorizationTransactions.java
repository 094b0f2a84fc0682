package dev.gatehouse.server.credentials;

import java.net.URI;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import dev.gatehouse.core.crypto.Aad;
import dev.gatehouse.core.crypto.CryptoException;
import dev.gatehouse.core.oauth.CodeVerifier;
import dev.gatehouse.core.secret.Secret;
import dev.gatehouse.server.credentials.vault.SealedRows;
import dev.gatehouse.server.credentials.vault.Vault;
import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The {@code oauth_transaction} table: one row per redirect to an authorization server, found again by the
 * SHA-256 of its {@code state}, used at most once. The PKCE verifier is sealed with AAD
 * {@code (pkce-v1, state hash, target)}.
 */
@Component
final class AuthorizationTransactions implements SealedRows {

	private final JdbcClient jdbc;

	private final Vault vault;

	private final Clock clock;

	private final TransactionTemplate transactions;

	AuthorizationTransactions(JdbcClient jdbc, Vault vault, Clock clock, TransactionTemplate transactions) {
		this.jdbc = jdbc;
		this.vault = vault;
		this.clock = clock;
		this.transactions = transactions;
	}

	/**
	 * One transaction.
	 *
	 * @param stateHash SHA-256 of the state
	 * @param consentRequestHash the consent request it continues
	 * @param target the target
	 * @param issuer the user's issuer
	 * @param subject the user's subject
	 * @param authorizationServer the issuer (or token endpoint) the code must come from
	 * @param asIssuer the authorization server's issuer when known, or {@code null}
	 * @param issExpected whether the authorization response must carry RFC 9207 {@code iss}
	 * @param clientId the client id used
	 * @param redirectUri the redirect URI sent
	 * @param resource the resource indicator sent
	 * @param scopes the scopes asked for
	 * @param bindingHash SHA-256 of the browser binding cookie
	 * @param sealedVerifier the sealed PKCE verifier
	 * @param expiresAt when it stops being accepted
	 * @param usedAt when the callback consumed it, or {@code null}
	 */
	record Transaction(String stateHash, String consentRequestHash, String target, String issuer, String subject,
			String authorizationServer, @Nullable String asIssuer, boolean issExpected, String clientId, URI redirectUri, URI resource,
			List<String> scopes, String bindingHash, byte[] sealedVerifier, Instant expiresAt, @Nullable Instant usedAt) {
	}

	void insert(Transaction t, CodeVerifier verifier) {
		byte[] sealed = vault.seal(verifier.value(), aad(t.stateHash(), t.target()));
		jdbc.sql("insert into oauth_transaction (state_hash, consent_request_hash, target, owner_issuer, owner_subject, "
				+ "authorization_server, issuer, iss_expected, client_id, redirect_uri, resource, scopes, "
				+ "browser_binding_hash, key_id, code_verifier, created_at, expires_at) "
				+ "values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
			.params(t.stateHash(), t.consentRequestHash(), t.target(), t.issuer(), t.subject(), t.authorizationServer(),
					t.asIssuer(), t.issExpected(), t.clientId(), t.redirectUri().toString(), t.resource().toString(),
					String.join(" ", t.scopes()), t.bindingHash(), vault.activeKeyId(), sealed,
					Timestamp.from(clock.instant()), Timestamp.from(t.expiresAt()))
			.update();
	}

	Optional<Transaction> find(String stateHash) {
		return jdbc.sql("select state_hash, consent_request_hash, target, owner_issuer, owner_subject, "
				+ "authorization_server, issuer, iss_expected, client_id, redirect_uri, resource, scopes, "
				+ "browser_binding_hash, code_verifier, expires_at, used_at from oauth_transaction where state_hash = ?")
			.param(stateHash)
			.query((rs, n) -> new Transaction(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
					rs.getString(5), rs.getString(6), rs.getString(7), rs.getBoolean(8), rs.getString(9),
					URI.create(rs.getString(10)), URI.create(rs.getString(11)), scopes(rs.getString(12)),
					rs.getString(13), rs.getBytes(14), rs.getTimestamp(15).toInstant(),
					(rs.getTimestamp(16) != null) ? rs.getTimestamp(16).toInstant() : null))
			.optional();
	}

	/** Consumes a transaction, once: false when it was already used. */
	boolean use(String stateHash) {
		return jdbc.sql("update oauth_transaction set used_at = ? where state_hash = ? and used_at is null")
			.params(Timestamp.from(clock.instant()), stateHash)
			.update() == 1;
	}

	/**
	 * The transaction's PKCE verifier.
	 * @throws CryptoException when it does not open (tampered with, or moved from another transaction)
	 */
	CodeVerifier verifier(Transaction t) {
		Secret value = vault.open(t.sealedVerifier(), aad(t.stateHash(), t.target()));
		return new CodeVerifier(value);
	}

	private static byte[] aad(String stateHash, String target) {
		return Aad.of("pkce-v1", stateHash, target);
	}

	private static List<String> scopes(@Nullable String text) {
		return (text == null || text.isBlank()) ? List.of() : Arrays.asList(text.trim().split(" +"));
	}

	@Override
	public String table() {
		return "oauth_transaction";
	}

	@Override
	public long countNotSealedWith(int activeKeyId) {
		return jdbc.sql("select count(*) from oauth_transaction where key_id <> ? and used_at is null")
			.param(activeKeyId)
			.query(Long.class)
			.single();
	}

	@Override
	public int resealBatch(int activeKeyId, int limit) {
		List<String> hashes = jdbc.sql("select state_hash from oauth_transaction where key_id <> ? and used_at is null "
				+ "order by state_hash limit ?")
			.params(activeKeyId, limit)
			.query(String.class)
			.list();
		for (String hash : hashes) {
			transactions.executeWithoutResult((tx) -> reseal(hash, activeKeyId));
		}
		return hashes.size();
	}

	private void reseal(String stateHash, int activeKeyId) {
		Optional<Transaction> t = jdbc.sql("select state_hash from oauth_transaction where state_hash = ? for update")
			.param(stateHash)
			.query(String.class)
			.optional()
			.flatMap(this::find);
		if (t.isEmpty()) {
			return;
		}
		try {
			byte[] sealed = vault.seal(verifier(t.get()).value(), aad(stateHash, t.get().target()));
			jdbc.sql("update oauth_transaction set key_id = ?, code_verifier = ? where state_hash = ?")
				.params(activeKeyId, sealed, stateHash)
				.update();
		}
		catch (CryptoException ex) {
			// A verifier no key opens can never complete: retire the transaction.
			jdbc.sql("update oauth_transaction set used_at = ?, key_id = ? where state_hash = ?")
				.params(Timestamp.from(clock.instant()), activeKeyId, stateHash)
				.update();
		}
	}
}
