package dev.gatehouse.server.mcp;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;

import dev.gatehouse.core.access.Caller;
import dev.gatehouse.core.crypto.CryptoException;
import dev.gatehouse.core.crypto.Envelope;
import dev.gatehouse.core.crypto.KeyRing;
import dev.gatehouse.core.jsonrpc.JsonRpcCodec;
import dev.gatehouse.core.jsonrpc.JsonRpcId;
import dev.gatehouse.core.jsonrpc.JsonRpcRequest;
import dev.gatehouse.core.jsonrpc.JsonRpcResponse;
import dev.gatehouse.core.target.Target;
import dev.gatehouse.server.catalog.Catalog;
import dev.gatehouse.server.credentials.CredentialResolver;
import dev.gatehouse.server.upstream.UpstreamClient;
import dev.gatehouse.server.upstream.UpstreamRequestOrigin;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.stereotype.Component;

/**
 * Relays requests from targets to agents (sampling, elicitation) and the agents' answers back.
 * <p>
 * The id the agent sees is sealed (AES-256-GCM): it carries the target, the upstream session and request id,
 * the agent's session and user, and an expiry. Whichever gateway instance the answer reaches can open it and
 * POST the answer to the target on that session, so no instance has to hold the pending request, and no agent
 * can answer a request that was not sent to it.
 */
@Component
final class ServerRequestRelay {

	private static final Logger logger = LoggerFactory.getLogger(ServerRequestRelay.class);

	private static final String PREFIX = "gh1.";

	private static final byte[] AAD = "gatehouse/relay-id/v1".getBytes(StandardCharsets.US_ASCII);

	private static final Duration LIFETIME = Duration.ofHours(1);

	private final Envelope envelope;

	private final JsonRpcCodec codec;

	private final Clock clock;

	private final Catalog catalog;

	private final CredentialResolver credentials;

	private final UpstreamClient upstream;

	ServerRequestRelay(KeyRing masterKeys, JsonRpcCodec codec, Clock clock, Catalog catalog,
			CredentialResolver credentials, UpstreamClient upstream) {
		this.envelope = new Envelope(masterKeys.derive("gatehouse/relay-id/v1"));
		this.codec = codec;
		this.clock = clock;
		this.catalog = catalog;
		this.credentials = credentials;
		this.upstream = upstream;
	}

	/** The request as the agent receives it: same method and params, a sealed id. */
	JsonRpcRequest toAgent(JsonRpcRequest request, UpstreamRequestOrigin origin, McpContext context) {
		ObjectNode state = JsonNodeFactory.instance.objectNode();
		state.put("t", origin.target());
		state.put("s", origin.scope());
		if (origin.sessionId() != null) {
			state.put("u", origin.sessionId());
		}
		state.put("l", origin.legacy());
		state.set("i", request.id().toJson());
		state.put("o", Base64.getEncoder().encodeToString(context.caller().digest()));
		if (context.session() != null) {
			state.put("k", context.session().key());
		}
		state.put("e", clock.instant().plus(LIFETIME).getEpochSecond());
		byte[] sealed = envelope.seal(codec.write(state), AAD);
		return request.withId(JsonRpcId.of(PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(sealed)));
	}

	/** Whether an answer's id is one of the gateway's relay ids. */
	static boolean isRelayId(@Nullable JsonRpcId id) {
		return id != null && id.value() instanceof String s && s.startsWith(PREFIX);
	}

	/**
	 * Delivers an agent's answer to the target that asked.
	 * @return empty when delivered, otherwise why it was not
	 */
	Optional<String> deliver(JsonRpcResponse answer, Caller caller, @Nullable McpSession session) {
		ObjectNode state = open(answer.id(), caller, session);
		if (state == null) {
			return Optional.of("the response's id is not one the gateway sent to this session");
		}
		String targetName = state.get("t").asString();
		Optional<Target> target = catalog.snapshot().target(targetName);
		if (target.isEmpty()) {
			return Optional.of("target '" + targetName + "' is no longer available");
		}
		JsonNode idNode = state.get("i");
		JsonRpcId original = idNode.isString() ? JsonRpcId.of(idNode.stringValue()) : JsonRpcId.of(idNode.longValue());
		UpstreamRequestOrigin origin = new UpstreamRequestOrigin(targetName, state.get("s").asString(),
				state.has("u") ? state.get("u").asString() : null, state.get("l").asBoolean());
		try {
			upstream.respond(target.get(), credentials.resolve(caller, target.get()), origin, answer.withId(original));
			return Optional.empty();
		}
		catch (RuntimeException ex) {
			logger.info("Could not deliver an agent's answer to target '{}': {}", targetName, ex.getMessage());
			return Optional.of(ex.getMessage());
		}
	}

	private @Nullable ObjectNode open(@Nullable JsonRpcId id, Caller caller, @Nullable McpSession session) {
		if (!isRelayId(id)) {
			return null;
		}
		try {
			byte[] sealed = Base64.getUrlDecoder().decode(((String) id.value()).substring(PREFIX.length()));
			JsonNode state = codec.parseJson(envelope.open(sealed, AAD));
			if (!(state instanceof ObjectNode object)) {
				return null;
			}
			byte[] owner = Base64.getDecoder().decode(object.get("o").asString());
			boolean sameUser = MessageDigest.isEqual(owner, caller.digest());
			boolean sameSession = (session == null) ? !object.has("k")
					: session.key().equals(object.path("k").asString(""));
			boolean fresh = Instant.ofEpochSecond(object.get("e").asLong()).isAfter(clock.instant());
			return (sameUser && sameSession && fresh) ? object : null;
		}
		catch (IllegalArgumentException | CryptoException | NullPointerException ex) {
			return null;
		}
		catch (RuntimeException ex) {
			return null;
		}
	}
}
