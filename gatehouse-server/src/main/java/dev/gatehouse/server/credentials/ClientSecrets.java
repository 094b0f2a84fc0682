package dev.gatehouse.server.credentials;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import dev.gatehouse.core.secret.Secret;
import dev.gatehouse.core.secret.SecretRef;
import dev.gatehouse.core.target.Target;
import dev.gatehouse.core.target.TargetAuth;
import dev.gatehouse.server.config.GatehouseProperties;
import org.jspecify.annotations.Nullable;

import org.springframework.stereotype.Component;

/**
 * Targets' client secrets. A secret given through the admin API is sealed in the vault (the target's definition
 * then says {@code vault:client-secret}); one given as {@code env:} or {@code file:} is read from there. A rotation
 * keeps the previous secret for {@code gatehouse.oauth.client-secret-grace-period}: while the authorization server
 * still knows only the old one, or already only the new one, token requests keep working (the new one is tried
 * first, the old one when the server answers {@code invalid_client}).
 */
@Component
public final class ClientSecrets {

	static final String CURRENT = "client_secret";

	static final String PREVIOUS = "client_secret_previous";

	private final VaultSecrets vault;

	private final SecretResolver references;

	private final Clock clock;

	private final GatehouseProperties.OAuth properties;

	ClientSecrets(VaultSecrets vault, SecretResolver references, Clock clock, GatehouseProperties properties) {
		this.vault = vault;
		this.references = references;
		this.clock = clock;
		this.properties = properties.oauth();
	}

	static String owner(String target) {
		return "target|" + target;
	}

	/** The reference a target's definition gets when its secret is held by the vault. */
	public static String vaultReference() {
		return "vault:client-secret";
	}

	/** Seals a target's client secret (a new target, or a replacement without grace period). */
	public void store(String target, Secret secret) {
		vault.put(owner(target), CURRENT, secret, null);
		vault.delete(owner(target), PREVIOUS);
	}

	/**
	 * Replaces a vault-held client secret, keeping the previous one usable for the grace period.
	 * @return until when the previous secret is still tried
	 * @throws IllegalStateException when the target's secret is not held by the vault
	 */
	public Instant rotate(Target target, Secret next) {
		SecretRef ref = (target.auth() instanceof TargetAuth.OAuth2 oauth) ? oauth.clientSecret() : null;
		if (ref == null || ref.kind() != SecretRef.Kind.VAULT) {
			throw new IllegalStateException("target '" + target.name() + "' takes its client secret from "
					+ ((ref == null) ? "nowhere (it has none)" : "'" + ref + "'")
					+ "; rotate it there, or give the secret through the admin API so that the vault holds it");
		}
		Instant until = clock.instant().plus(properties.clientSecretGracePeriod());
		Optional<Secret> current = vault.get(owner(target.name()), CURRENT);
		current.ifPresent((old) -> vault.put(owner(target.name()), PREVIOUS, old, until));
		vault.put(owner(target.name()), CURRENT, next, null);
		return until;
	}

	/** Until when a previous secret is still tried, if one is. */
	public Optional<Instant> previousValidUntil(String target) {
		return vault.expiresAt(owner(target), PREVIOUS).filter((at) -> clock.instant().isBefore(at));
	}

	/** Forgets the previous secret now (the authorization server no longer accepts it). */
	public void dropPrevious(String target) {
		vault.delete(owner(target), PREVIOUS);
	}

	/** Removes everything held for a target (it was deleted). */
	public void forget(String target) {
		vault.deleteOwner(owner(target));
	}

	/**
	 * The secrets to try, current first.
	 * @throws CredentialUnavailableException when the target has no usable secret
	 */
	List<Secret> candidates(Target target, @Nullable SecretRef ref) {
		List<Secret> secrets = new ArrayList<>();
		if (ref == null) {
			throw new CredentialUnavailableException("target '" + target.name() + "' has no auth.clientSecret");
		}
		if (ref.kind() == SecretRef.Kind.VAULT) {
			secrets.add(vault.get(owner(target.name()), CURRENT)
				.orElseThrow(() -> new CredentialUnavailableException("target '" + target.name() + "' refers to its "
						+ "client secret in the vault, but none is stored; set it with PUT /admin/api/targets/"
						+ target.name() + "/client-secret")));
		}
		else {
			secrets.add(references.resolve(ref, "auth.clientSecret of target '" + target.name() + "'"));
		}
		vault.get(owner(target.name()), PREVIOUS).ifPresent(secrets::add);
		return secrets;
	}
}
