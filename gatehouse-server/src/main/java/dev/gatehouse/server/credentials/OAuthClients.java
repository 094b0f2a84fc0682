package dev.gatehouse.server.credentials;

import java.net.URI;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.gatehouse.core.oauth.ClientRegistration;
import dev.gatehouse.core.oauth.InvalidMetadataException;
import dev.gatehouse.core.oauth.OAuthError;
import dev.gatehouse.core.oauth.TokenResponses;
import dev.gatehouse.core.secret.Secret;
import dev.gatehouse.core.target.Target;
import dev.gatehouse.core.target.TargetAuth;
import dev.gatehouse.core.target.TargetAuth.TokenEndpointAuthMethod;
import dev.gatehouse.core.target.UrlRules;
import dev.gatehouse.server.audit.AuditTrail;
import dev.gatehouse.server.config.GatehouseProperties;
import dev.gatehouse.server.credentials.OAuthHttp.OAuthHttpException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Who the gateway is at a target's authorization server. A target that names {@code auth.clientId} uses that
 * pre-registered client with its configured authentication. One that does not is registered dynamically
 * (RFC 7591), if the admin allowed it for that issuer ({@code gatehouse.oauth.dynamic-registration}): once per
 * (issuer, target), stored, and never used at another issuer. Registered client secrets are sealed in the vault.
 */
@Component
final class OAuthClients {

	private static final Logger logger = LoggerFactory.getLogger(OAuthClients.class);

	private final ClientSecrets secrets;

	private final VaultSecrets vault;

	private final OAuthHttp http;

	private final JdbcClient jdbc;

	private final UrlRules urls;

	private final AuditTrail audit;

	private final Clock clock;

	private final GatehouseProperties properties;

	OAuthClients(ClientSecrets secrets, VaultSecrets vault, OAuthHttp http, JdbcClient jdbc, UrlRules urls,
			AuditTrail audit, Clock clock, GatehouseProperties properties) {
		this.secrets = secrets;
		this.vault = vault;
		this.http = http;
		this.jdbc = jdbc;
		this.urls = urls;
		this.audit = audit;
		this.clock = clock;
		this.properties = properties;
	}

	/** The per-target redirect URI: {@code {public-url}/oauth/callback/{target}}. */
	URI redirectUri(String target) {
		String base = properties.publicUrl().toString();
		return URI.create((base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + "/oauth/callback/" + target);
	}

	/**
	 * @throws TargetAuthorizationException when no client can be used
	 * @throws CredentialUnavailableException when a configured secret cannot be read
	 */
	OAuthClient client(Target target, TargetAuthorization auth) {
		TargetAuth.OAuth2 oauth = (TargetAuth.OAuth2) target.auth();
		if (oauth.clientId() != null) {
			return new OAuthClient(oauth.clientId(), configured(target, oauth), false);
		}
		String issuer = auth.issuer();
		if (issuer == null) {
			throw new TargetAuthorizationException("target '" + target.name() + "' gives no auth.clientId and its "
					+ "authorization server's issuer is unknown, so the gateway cannot register itself there", false);
		}
		Optional<OAuthClient> stored = registered(issuer, target.name());
		if (stored.isPresent()) {
			return stored.get();
		}
		return register(target, auth, issuer);
	}

	/** Forgets the dynamic registration of a target at an issuer (the server rejected it). */
	void forgetRegistration(String issuer, String target) {
		jdbc.sql("delete from client_registration where issuer = ? and target = ?").params(issuer, target).update();
		vault.deleteOwner(registrationOwner(issuer, target));
	}

	private ClientAuthentication configured(Target target, TargetAuth.OAuth2 oauth) {
		TokenEndpointAuthMethod method = oauth.tokenEndpointAuthMethod();
		if (method == null) {
			method = (oauth.clientSecret() != null) ? TokenEndpointAuthMethod.CLIENT_SECRET_BASIC
					: TokenEndpointAuthMethod.NONE;
		}
		return switch (method) {
			case CLIENT_SECRET_BASIC -> new ClientAuthentication.ClientSecretBasic(
					secrets.candidates(target, oauth.clientSecret()));
			case CLIENT_SECRET_POST -> new ClientAuthentication.ClientSecretPost(
					secrets.candidates(target, oauth.clientSecret()));
			case PRIVATE_KEY_JWT -> new ClientAuthentication.PrivateKeyJwt();
			case NONE -> new ClientAuthentication.None();
		};
	}

	private Optional<OAuthClient> registered(String issuer, String target) {
		return jdbc.sql("select client_id, token_endpoint_auth_method, secret_expires_at from client_registration "
				+ "where issuer = ? and target = ?")
			.params(issuer, target)
			.query((rs, n) -> new Stored(rs.getString(1), rs.getString(2), rs.getTimestamp(3)))
			.optional()
			.filter((s) -> s.secretExpiresAt == null || clock.instant().isBefore(s.secretExpiresAt.toInstant()))
			.flatMap((s) -> {
				Optional<Secret> secret = vault.get(registrationOwner(issuer, target), ClientSecrets.CURRENT);
				ClientAuthentication authentication = switch (s.method) {
					case "client_secret_basic" -> secret.map((v) -> new ClientAuthentication.ClientSecretBasic(List.of(v)))
						.orElse(null);
					case "client_secret_post" -> secret.map((v) -> new ClientAuthentication.ClientSecretPost(List.of(v)))
						.orElse(null);
					default -> new ClientAuthentication.None();
				};
				return Optional.ofNullable(authentication).map((a) -> new OAuthClient(s.clientId, a, true));
			});
	}

	private OAuthClient register(Target target, TargetAuthorization auth, String issuer) {
		URI endpoint = auth.registrationEndpoint();
		if (endpoint == null || !properties.oauth().dynamicRegistration().allows(issuer)) {
			throw new TargetAuthorizationException("target '" + target.name() + "' gives no auth.clientId, and "
					+ ((endpoint == null) ? "its authorization server " + issuer + " offers no dynamic registration"
							: "dynamic registration at " + issuer + " is not allowed "
									+ "(gatehouse.oauth.dynamic-registration.allowed-issuers)"),
					false);
		}
		String method = chooseMethod(auth);
		URI redirect = redirectUri(target.name());
		ObjectNode request = registrationRequest(target, auth, method, redirect);
		OAuthHttp.Response response;
		try {
			response = http.postJson(endpoint, request, Map.of());
		}
		catch (OAuthHttpException ex) {
			throw new TargetAuthorizationException("dynamic registration at " + issuer + " failed: " + ex.getMessage(),
					ex.isTransient());
		}
		if (response.status() != 201 && response.status() != 200 || response.body() == null) {
			OAuthError error = TokenResponses.error(response.body());
			throw new TargetAuthorizationException("dynamic registration at " + issuer + " was refused (HTTP "
					+ response.status() + ((error != null) ? ", " + error.describe() : "") + ")", response.status() >= 500);
		}
		ClientRegistration registration;
		try {
			registration = ClientRegistration.parse(response.body(), issuer, method, urls);
		}
		catch (InvalidMetadataException ex) {
			throw new TargetAuthorizationException(ex.getMessage(), false);
		}
		store(target.name(), registration, redirect);
		audit.event("oauth_client_registered", Map.of("target", target.name(), "issuer", issuer, "client_id",
				registration.clientId(), "method", registration.tokenEndpointAuthMethod()));
		logger.info("Registered the gateway as client '{}' at {} for target '{}'", registration.clientId(), issuer,
				target.name());
		return registered(issuer, target.name()).orElseThrow(() -> new TargetAuthorizationException(
				"the registration at " + issuer + " gave no usable client secret", false));
	}

	private ObjectNode registrationRequest(Target target, TargetAuthorization auth, String method, URI redirect) {
		ObjectNode request = JsonNodeFactory.instance.objectNode();
		boolean codeFlow = auth.grantType() == TargetAuth.GrantType.AUTHORIZATION_CODE;
		request.putArray("redirect_uris").add(redirect.toString());
		request.put("client_name", "Gatehouse MCP gateway (" + properties.publicUrl().getHost() + ")");
		ArrayNode grants = request.putArray("grant_types");
		if (codeFlow) {
			grants.add("authorization_code").add("refresh_token");
			request.putArray("response_types").add("code");
		}
		else {
			grants.add("client_credentials");
			request.putArray("response_types");
		}
		request.put("token_endpoint_auth_method", method);
		if (!auth.scopes().isEmpty()) {
			request.put("scope", String.join(" ", auth.scopes()));
		}
		return request;
	}

	private static String chooseMethod(TargetAuthorization auth) {
		List<String> supported = auth.authMethodsSupported();
		if (supported.isEmpty() || supported.contains("client_secret_basic")) {
			return "client_secret_basic";
		}
		if (supported.contains("client_secret_post")) {
			return "client_secret_post";
		}
		return "none";
	}

	private void store(String target, ClientRegistration registration, URI redirect) {
		forgetRegistration(registration.issuer(), target);
		jdbc.sql("insert into client_registration (issuer, target, client_id, token_endpoint_auth_method, redirect_uri, "
				+ "secret_expires_at, created_at) values (?, ?, ?, ?, ?, ?, ?)")
			.params(registration.issuer(), target, registration.clientId(), registration.tokenEndpointAuthMethod(),
					redirect.toString(),
					(registration.secretExpiresAt() != null) ? Timestamp.from(registration.secretExpiresAt()) : null,
					Timestamp.from(clock.instant()))
			.update();
		if (registration.clientSecret() != null) {
			vault.put(registrationOwner(registration.issuer(), target), ClientSecrets.CURRENT,
					registration.clientSecret(), registration.secretExpiresAt());
		}
	}

	static String registrationOwner(String issuer, String target) {
		return "registration|" + issuer + "|" + target;
	}

	private record Stored(String clientId, String method, @Nullable Timestamp secretExpiresAt) {
	}
}
