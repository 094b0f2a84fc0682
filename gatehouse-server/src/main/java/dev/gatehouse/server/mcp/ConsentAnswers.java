package dev.gatehouse.server.mcp;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;

import dev.gatehouse.core.access.Caller;
import dev.gatehouse.core.crypto.CryptoException;
import dev.gatehouse.core.crypto.Envelope;
import dev.gatehouse.core.crypto.KeyRing;
import dev.gatehouse.core.jsonrpc.JsonRpcCodec;
import dev.gatehouse.core.jsonrpc.JsonRpcErrorCode;
import dev.gatehouse.core.jsonrpc.JsonRpcException;
import dev.gatehouse.server.credentials.AuthorizationUnavailableException;
import dev.gatehouse.server.credentials.ConsentRequiredException;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.stereotype.Component;

/**
 * How the agent learns that its user must authorise a target (docs/oauth.md, "The flow": the first answer), in
 * the richest form its revision and capabilities allow:
 * <ul>
 * <li>a client that declared URL elicitation (2025-11-25): JSON-RPC error {@code -32042} with the URL-mode
 * elicitation;</li>
 * <li>a 2026-07-28 client that declared URL elicitation: an {@code InputRequiredResult} whose
 * {@code requestState} is sealed and binds the caller, the target and a short expiry;</li>
 * <li>any other client: a tool result with {@code isError: true} whose text gives the link.</li>
 * </ul>
 * The link is the gateway's own consent page, never the authorization server, and carries no personal data.
 *
 * @see <a href="https://modelcontextprotocol.io/specification/2025-11-25/client/elicitation#url-elicitation-required-error">URL
 * elicitation required error</a>
 */
@Component
final class ConsentAnswers {

	static final String STATE_PREFIX = "gh-consent.";

	static final String INPUT_KEY = "gatehouse-consent";

	private static final byte[] AAD = "gatehouse/consent-state/v1".getBytes(StandardCharsets.US_ASCII);

	private final Envelope envelope;

	private final JsonRpcCodec codec;

	private final Clock clock;

	ConsentAnswers(KeyRing masterKeys, JsonRpcCodec codec, Clock clock) {
		this.envelope = new Envelope(masterKeys.derive("gatehouse/consent-state/v1"));
		this.codec = codec;
		this.clock = clock;
	}

	/** The answer to a {@code tools/call} that needs consent. */
	ObjectNode toolCallAnswer(ConsentRequiredException consent, McpContext context) {
		if (context.capabilities().elicitationUrl()) {
			if (context.stateless()) {
				return inputRequired(consent, context.caller());
			}
			throw urlElicitationRequired(consent);
		}
		ObjectNode result = JsonNodeFactory.instance.objectNode();
		result.putArray("content")
			.addObject()
			.put("type", "text")
			.put("text", consent.getMessage() + ":\n" + consent.url() + "\n(The link works once, for you only, until "
					+ consent.expiresAt() + ".)");
		result.put("isError", true);
		return result;
	}

	/** The error for any other request (prompts, resources) that needs consent. */
	JsonRpcException error(ConsentRequiredException consent, McpContext context) {
		if (context.capabilities().elicitationUrl() && !context.stateless()) {
			return urlElicitationRequired(consent);
		}
		ObjectNode data = JsonNodeFactory.instance.objectNode();
		data.put("target", consent.target());
		data.put("reason", "authorization_required");
		data.put("url", consent.url().toString());
		return new JsonRpcException(JsonRpcErrorCode.INTERNAL_ERROR, consent.getMessage() + ": " + consent.url(), data);
	}

	/** The error when a grant exists but no token can be had now. */
	static JsonRpcException unavailable(AuthorizationUnavailableException ex) {
		ObjectNode data = JsonNodeFactory.instance.objectNode();
		data.put("target", ex.target());
		data.put("reason", "authorization_unavailable");
		return new JsonRpcException(JsonRpcErrorCode.INTERNAL_ERROR, ex.getMessage(), data);
	}

	static JsonRpcException urlElicitationRequired(ConsentRequiredException consent) {
		ObjectNode data = JsonNodeFactory.instance.objectNode();
		data.putArray("elicitations").add(urlElicitation(consent));
		return new JsonRpcException(JsonRpcErrorCode.URL_ELICITATION_REQUIRED, consent.getMessage(), data);
	}

	private static ObjectNode urlElicitation(ConsentRequiredException consent) {
		ObjectNode elicitation = JsonNodeFactory.instance.objectNode();
		elicitation.put("mode", "url");
		elicitation.put("elicitationId", consent.elicitationId());
		elicitation.put("url", consent.url().toString());
		elicitation.put("message", consent.getMessage());
		return elicitation;
	}

	private ObjectNode inputRequired(ConsentRequiredException consent, Caller caller) {
		ObjectNode result = JsonNodeFactory.instance.objectNode();
		result.put("resultType", "input_required");
		ObjectNode request = result.putObject("inputRequests").putObject(INPUT_KEY);
		request.put("method", "elicitation/create");
		request.set("params", urlElicitation(consent));
		result.put("requestState", seal(caller, consent.target(), consent.expiresAt()));
		return result;
	}

	private String seal(Caller caller, String target, Instant expiresAt) {
		ObjectNode state = JsonNodeFactory.instance.objectNode();
		state.put("o", Base64.getEncoder().encodeToString(caller.digest()));
		state.put("t", target);
		state.put("e", expiresAt.getEpochSecond());
		return STATE_PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(envelope.seal(codec.write(state), AAD));
	}

	/**
	 * Checks the {@code requestState} of a 2026-07-28 retry, if it is one the gateway issued: it must belong to
	 * this caller and target and not have expired.
	 * @throws JsonRpcException {@code -32602} naming what is wrong
	 */
	void checkRetry(@Nullable JsonNode requestState, Caller caller, String target) {
		if (requestState == null || !requestState.isString() || !requestState.stringValue().startsWith(STATE_PREFIX)) {
			return;
		}
		try {
			byte[] sealed = Base64.getUrlDecoder().decode(requestState.stringValue().substring(STATE_PREFIX.length()));
			JsonNode state = codec.parseJson(envelope.open(sealed, AAD));
			boolean sameUser = MessageDigest.isEqual(Base64.getDecoder().decode(state.get("o").asString()),
					caller.digest());
			boolean sameTarget = target.equals(state.get("t").asString());
			boolean fresh = clock.instant().isBefore(Instant.ofEpochSecond(state.get("e").asLong()).plus(Duration.ofMinutes(5)));
			if (sameUser && sameTarget && fresh) {
				return;
			}
		}
		catch (IllegalArgumentException | CryptoException | NullPointerException | JsonRpcException ex) {
			// fall through: not valid
		}
		throw new JsonRpcException(JsonRpcErrorCode.INVALID_PARAMS,
				"'requestState' is not valid for this request: it expired, or was issued for another user or tool");
	}
}
