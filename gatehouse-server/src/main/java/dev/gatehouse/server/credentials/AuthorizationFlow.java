package dev.gatehouse.server.credentials;

import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import dev.gatehouse.core.access.Caller;
import dev.gatehouse.core.crypto.CryptoException;
import dev.gatehouse.core.oauth.AuthorizationRequest;
import dev.gatehouse.core.oauth.CodeVerifier;
import dev.gatehouse.core.oauth.OAuthError;
import dev.gatehouse.core.oauth.PkceChallenge;
import dev.gatehouse.core.oauth.RandomTokens;
import dev.gatehouse.core.oauth.TokenSet;
import dev.gatehouse.core.target.Target;
import dev.gatehouse.core.target.TargetAuth;
import dev.gatehouse.server.access.PolicyService;
import dev.gatehouse.server.audit.AuditTrail;
import dev.gatehouse.server.catalog.StoredTarget;
import dev.gatehouse.server.catalog.TargetRegistry;
import dev.gatehouse.server.cluster.ClusterEvents;
import dev.gatehouse.server.config.GatehouseProperties;
import dev.gatehouse.server.credentials.ConsentFlowException.Failure;
import dev.gatehouse.server.credentials.ConsentRequests.Request;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.node.JsonNodeFactory;

import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The browser half of the authorization code flow, as a list of checks (docs/oauth.md, "The flow": from the user
 * opening the link to the tokens stored):
 * <ol>
 * <li>{@link #review}: the consent link is valid, unused, unexpired, for this target, and the logged-in person is
 * the user it was made for (anti consent-phishing);</li>
 * <li>{@link #begin}: the link is consumed, a transaction is stored (hashed {@code state}, sealed PKCE verifier,
 * hashed browser binding), and the browser is sent to the authorization server with PKCE {@code S256}, the
 * per-target redirect URI, the narrowed scopes and the {@code resource};</li>
 * <li>{@link #complete}: at the callback, {@code state} is known, unused, unexpired and for this target (mix-up),
 * the browser is the one that started (binding cookie), the RFC 9207 {@code iss} matches, and only then is the
 * code exchanged server-to-server and the token set sealed under (issuer, subject, target).</li>
 * </ol>
 * Every refusal is audited and leaves nothing stored.
 *
 * @see <a href="https://datatracker.ietf.org/doc/html/rfc9700#section-4.7">RFC 9700 §4.7 (CSRF)</a>
 * @see <a href="https://datatracker.ietf.org/doc/html/rfc9207">RFC 9207</a>
 */
@Component
public final class AuthorizationFlow {

	private static final Logger logger = LoggerFactory.getLogger(AuthorizationFlow.class);

	static final String GRANT_CONNECTED = "grant.connected";

	static final String ELICITATION_COMPLETE = "elicitation.complete";

	private final ConsentRequests consents;

	private final AuthorizationTransactions transactions;

	private final AuthorizationDiscovery discovery;

	private final OAuthClients clients;

	private final TokenEndpoint tokenEndpoint;

	private final GrantStore grants;

	private final UpstreamTokens tokens;

	private final TargetRegistry targets;

	private final PolicyService policies;

	private final ClusterEvents cluster;

	private final AuditTrail audit;

	private final TransactionTemplate tx;

	private final Clock clock;

	private final GatehouseProperties.OAuth properties;

	AuthorizationFlow(ConsentRequests consents, AuthorizationTransactions transactions, AuthorizationDiscovery discovery,
			OAuthClients clients, TokenEndpoint tokenEndpoint, GrantStore grants, UpstreamTokens tokens,
			TargetRegistry targets, PolicyService policies, ClusterEvents cluster, AuditTrail audit,
			TransactionTemplate tx, Clock clock, GatehouseProperties properties) {
		this.consents = consents;
		this.transactions = transactions;
		this.discovery = discovery;
		this.clients = clients;
		this.tokenEndpoint = tokenEndpoint;
		this.grants = grants;
		this.tokens = tokens;
		this.targets = targets;
		this.policies = policies;
		this.cluster = cluster;
		this.audit = audit;
		this.tx = tx;
		this.clock = clock;
		this.properties = properties.oauth();
	}

	/**
	 * What the consent page shows before the person confirms.
	 *
	 * @param target the target's name
	 * @param description the target's description, or {@code null}
	 * @param scopes the scopes that will be requested (narrowed to the person's roles)
	 * @param authorizationServer the host the person will be sent to
	 * @param redirectUri where the authorization server will send the person back
	 * @param expiresAt when the link stops working
	 */
	public record Review(String target, @Nullable String description, List<String> scopes, String authorizationServer,
			URI redirectUri, Instant expiresAt) {
	}

	/**
	 * A started authorization.
	 *
	 * @param redirect the authorization server URL to send the browser to
	 * @param binding the value of the browser binding cookie; the callback must present it
	 */
	public record Started(URI redirect, String binding) {

		@Override
		public String toString() {
			return "Started[redirect to " + redirect.getHost() + "]";
		}
	}

	/** Checks a consent link for the logged-in person and describes what connecting will do. */
	public Review review(String targetName, String requestId, Caller person) {
		Request request = validRequest(targetName, requestId, person);
		Target target = target(targetName);
		TargetAuthorization auth = resolve(target, person);
		List<String> scopes = narrowed(target, auth, person);
		URI server = Objects.requireNonNull(auth.authorizationEndpoint());
		return new Review(target.name(), target.description(), scopes, server.getHost(), clients.redirectUri(targetName),
				request.expiresAt());
	}

	/** The person declined on the gateway's own page: the link is used up, nothing else happens. */
	public void decline(String targetName, String requestId, Caller person) {
		Request request = validRequest(targetName, requestId, person);
		consents.use(request);
		audit("consent_declined", targetName, person, Map.of());
	}

	/**
	 * Consumes the consent link and starts the authorization at the target's authorization server.
	 * @throws ConsentFlowException when the link or the person is not acceptable, or the server cannot be used
	 */
	public Started begin(String targetName, String requestId, Caller person) {
		Request request = validRequest(targetName, requestId, person);
		Target target = target(targetName);
		TargetAuthorization auth = resolve(target, person);
		OAuthClient client = client(target, auth, person);
		List<String> scopes = narrowed(target, auth, person);
		if (!consents.use(request)) {
			throw fail(Failure.LINK_USED, targetName, person, "This link has already been used. Ask your agent to "
					+ "retry the call: it will get a new link.");
		}
		String state = RandomTokens.generate(32);
		String binding = RandomTokens.generate(32);
		CodeVerifier verifier = CodeVerifier.generate();
		URI redirectUri = clients.redirectUri(targetName);
		String stateHash = RandomTokens.sha256Hex(state);
		transactions.insert(new AuthorizationTransactions.Transaction(stateHash, request.idHash(), targetName,
				person.issuer(), person.subject(), auth.authorizationServer(), auth.issuer(), auth.issParameterRequired(),
				client.clientId(), redirectUri, auth.resource(), scopes, RandomTokens.sha256Hex(binding), new byte[0],
				clock.instant().plus(properties.consentTtl()), null), verifier);
		URI redirect = new AuthorizationRequest(Objects.requireNonNull(auth.authorizationEndpoint()), client.clientId(),
				redirectUri, scopes, state, PkceChallenge.s256(verifier), auth.resource()).toUri();
		audit("consent_started", targetName, person, Map.of("scopes", String.join(" ", scopes), "authorization_server",
				auth.authorizationServer()));
		return new Started(redirect, binding);
	}

	/**
	 * Completes an authorization at the callback.
	 * @param params the callback's query parameters
	 * @param binding the browser binding cookie, or {@code null} when the browser sent none
	 * @param person the logged-in person, if this browser has a session, or {@code null}
	 * @return the stored grant (without tokens)
	 * @throws ConsentFlowException when a check fails or the authorization server refused
	 */
	public Grant complete(String targetName, Map<String, String> params, @Nullable String binding,
			@Nullable Caller person) {
		String state = params.get("state");
		if (state == null || state.isEmpty()) {
			throw fail(Failure.STATE_MISSING, targetName, person, "The authorization server's answer has no state, so "
					+ "the gateway cannot tell which request it answers. Nothing was stored.");
		}
		AuthorizationTransactions.Transaction t = transactions.find(RandomTokens.sha256Hex(state)).orElseThrow(() -> fail(
				Failure.STATE_UNKNOWN, targetName, person, "This answer does not belong to an authorization the gateway "
						+ "started (unknown state). Nothing was stored."));
		Caller owner = new Caller(t.issuer(), t.subject(), null, java.util.Set.of(), java.util.Set.of());
		if (!transactions.use(t.stateHash())) {
			throw fail(Failure.STATE_REPLAYED, targetName, owner, "This answer was already used. Nothing was stored.");
		}
		checkCallback(t, targetName, params, binding, person, owner);
		String code = params.get("code");
		if (code == null || code.isEmpty()) {
			throw fail(Failure.CODE_MISSING, targetName, owner, "The authorization server's answer has no code. "
					+ "Nothing was stored.");
		}
		return exchange(t, targetName, code, owner);
	}

	private void checkCallback(AuthorizationTransactions.Transaction t, String targetName, Map<String, String> params,
			@Nullable String binding, @Nullable Caller person, Caller owner) {
		if (!t.target().equals(targetName)) {
			throw fail(Failure.TARGET_MISMATCH, targetName, owner, "This answer arrived at the callback of '" + targetName
					+ "' but belongs to an authorization for another target. Nothing was stored.");
		}
		if (!clock.instant().isBefore(t.expiresAt())) {
			throw fail(Failure.TRANSACTION_EXPIRED, targetName, owner, "This authorization took too long and expired. "
					+ "Ask your agent to retry the call for a new link.");
		}
		if (binding == null || !RandomTokens.constantTimeEquals(RandomTokens.sha256Hex(binding), t.bindingHash())) {
			throw fail(Failure.BROWSER_MISMATCH, targetName, owner, "This authorization was started in another browser "
					+ "(or its cookie is gone). Nothing was stored; open the link from your agent in this browser.");
		}
		if (person != null && !(person.issuer().equals(t.issuer()) && person.subject().equals(t.subject()))) {
			throw fail(Failure.WRONG_USER, targetName, owner, "You are logged in as another user than the one this "
					+ "authorization is for. Nothing was stored.");
		}
		String iss = params.get("iss");
		if (iss == null && t.issExpected()) {
			throw fail(Failure.ISSUER_MISSING, targetName, owner, "The authorization server's answer does not say who "
					+ "sent it (RFC 9207 iss), although that server always does. Nothing was stored.");
		}
		if (iss != null && t.asIssuer() != null && !iss.equals(t.asIssuer())) {
			throw fail(Failure.ISSUER_MISMATCH, targetName, owner, "The answer comes from another authorization server "
					+ "than the one this authorization was sent to (RFC 9207 iss mismatch). Nothing was stored.");
		}
		String error = params.get("error");
		if (error != null) {
			OAuthError oauthError = new OAuthError(error, params.get("error_description"));
			if (OAuthError.ACCESS_DENIED.equals(error)) {
				throw fail(Failure.DENIED, targetName, owner, "You declined the access request. Nothing was stored; "
						+ "the agent's call will keep asking for authorization.");
			}
			throw fail(Failure.AUTHORIZATION_ERROR, targetName, owner, "The authorization server answered with an error: "
					+ oauthError.describe() + ". Nothing was stored.");
		}
	}

	private Grant exchange(AuthorizationTransactions.Transaction t, String targetName, String code, Caller owner) {
		CodeVerifier verifier;
		try {
			verifier = transactions.verifier(t);
		}
		catch (CryptoException | IllegalArgumentException ex) {
			throw fail(Failure.VERIFIER_UNAVAILABLE, targetName, owner, "This authorization cannot be completed (its "
					+ "stored proof key does not open). Nothing was stored.");
		}
		Target target = target(targetName);
		TargetAuthorization auth;
		OAuthClient client;
		try {
			auth = discovery.resolve(target);
			client = clients.client(target, auth);
		}
		catch (TargetAuthorizationException | CredentialUnavailableException ex) {
			throw fail(Failure.TARGET_UNAVAILABLE, targetName, owner, "The gateway cannot reach the authorization "
					+ "server of '" + targetName + "' right now. Nothing was stored; try again later.", ex.getMessage());
		}
		TokenSet set;
		try {
			set = tokenEndpoint.exchangeCode(auth, client, code, verifier, t.redirectUri(), t.scopes());
		}
		catch (TokenEndpointException ex) {
			throw fail(Failure.EXCHANGE_FAILED, targetName, owner, "The authorization server refused to exchange the "
					+ "code" + ((ex.error() != null) ? " (" + ex.error().code() + ")" : "") + ". Nothing was stored.",
					ex.getMessage());
		}
		Grant grant = Objects.requireNonNull(tx.execute((status) -> grants.saveConsented(targetName, t.issuer(),
				t.subject(), t.authorizationServer(), t.clientId(), set)));
		tokens.announceChange(targetName, t.issuer(), t.subject());
		announceCompletion(t, targetName);
		audit("consent_completed", targetName, owner, Map.of("grant", grant.id(), "scopes", String.join(" ",
				grant.scopes())));
		logger.info("User {} connected target '{}' (grant {})", t.subject(), targetName, grant.id());
		return grant;
	}

	private void announceCompletion(AuthorizationTransactions.Transaction t, String targetName) {
		cluster.publish(GRANT_CONNECTED, JsonNodeFactory.instance.objectNode().put("target", targetName));
		consents.byHash(t.consentRequestHash()).ifPresent((request) -> {
			if (request.sessionKey() != null) {
				cluster.publish(ELICITATION_COMPLETE, JsonNodeFactory.instance.objectNode()
					.put("session", request.sessionKey())
					.put("elicitationId", request.elicitationId()));
			}
		});
	}

	private Request validRequest(String targetName, String requestId, Caller person) {
		if (requestId == null || requestId.isEmpty() || requestId.length() > 128) {
			throw fail(Failure.INVALID_LINK, targetName, person, "This link is not valid: it has no request.");
		}
		Request request = consents.find(requestId).orElseThrow(() -> fail(Failure.INVALID_LINK, targetName, person,
				"This link is not valid. Ask your agent to retry the call: it will get a new link."));
		if (!request.target().equals(targetName)) {
			throw fail(Failure.INVALID_LINK, targetName, person, "This link is not valid for '" + targetName + "'.");
		}
		if (!request.ownedBy(person)) {
			throw fail(Failure.WRONG_USER, targetName, person, "This link was made for another user. Only the user "
					+ "whose agent asked can use it; log in as that user, or ask your own agent for a link.");
		}
		if (request.usedAt() != null) {
			throw fail(Failure.LINK_USED, targetName, person, "This link has already been used. Ask your agent to retry "
					+ "the call: it will get a new link.");
		}
		if (!clock.instant().isBefore(request.expiresAt())) {
			throw fail(Failure.LINK_EXPIRED, targetName, person, "This link has expired. Ask your agent to retry the "
					+ "call: it will get a new link.");
		}
		return request;
	}

	private Target target(String name) {
		return targets.find(name)
			.map(StoredTarget::target)
			.filter((t) -> t.auth() instanceof TargetAuth.OAuth2)
			.orElseThrow(() -> new ConsentFlowException(Failure.INVALID_LINK, name,
					"There is no target '" + name + "' that needs authorization."));
	}

	private TargetAuthorization resolve(Target target, Caller person) {
		try {
			return discovery.resolve(target);
		}
		catch (TargetAuthorizationException ex) {
			throw fail(Failure.TARGET_UNAVAILABLE, target.name(), person, "The gateway cannot use the authorization "
					+ "server of '" + target.name() + "' right now. An administrator has been told why.", ex.getMessage());
		}
	}

	private OAuthClient client(Target target, TargetAuthorization auth, Caller person) {
		try {
			return clients.client(target, auth);
		}
		catch (TargetAuthorizationException | CredentialUnavailableException ex) {
			throw fail(Failure.TARGET_UNAVAILABLE, target.name(), person, "The gateway is not set up as a client of "
					+ "the authorization server of '" + target.name() + "'. An administrator has been told why.",
					ex.getMessage());
		}
	}

	/** The target's scopes this person's roles may obtain (policy {@code upstreamScopes}). */
	private List<String> narrowed(Target target, TargetAuthorization auth, Caller person) {
		List<String> scopes = policies.current().evaluator().upstreamScopes(person.roles(), target.name(), auth.scopes());
		if (scopes.isEmpty() && !auth.scopes().isEmpty()) {
			throw fail(Failure.NO_SCOPE, target.name(), person, "Your roles may not obtain any of the scopes of '"
					+ target.name() + "' (" + String.join(", ", auth.scopes()) + "). Nothing was requested.");
		}
		return scopes;
	}

	private ConsentFlowException fail(Failure failure, String target, @Nullable Caller who, String message) {
		return fail(failure, target, who, message, null);
	}

	private ConsentFlowException fail(Failure failure, String target, @Nullable Caller who, String message,
			@Nullable String detail) {
		Map<String, Object> fields = new LinkedHashMap<>();
		fields.put("reason", failure.reason());
		if (detail != null) {
			fields.put("detail", detail);
		}
		audit("consent_failed", target, who, fields);
		if (detail != null) {
			logger.warn("Consent for target '{}' failed ({}): {}", target, failure.reason(), detail);
		}
		return new ConsentFlowException(failure, target, message);
	}

	private void audit(String type, String target, @Nullable Caller who, Map<String, ?> extra) {
		Map<String, Object> fields = new LinkedHashMap<>();
		fields.put("target", target);
		if (who != null) {
			fields.put("issuer", who.issuer());
			fields.put("subject", who.subject());
		}
		fields.putAll(extra);
		audit.event(type, fields);
	}
}
