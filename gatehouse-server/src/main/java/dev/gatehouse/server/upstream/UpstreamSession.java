package dev.gatehouse.server.upstream;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

import javax.net.ssl.SSLException;

import dev.gatehouse.core.jsonrpc.JsonRpcCodec;
import dev.gatehouse.core.jsonrpc.JsonRpcException;
import dev.gatehouse.core.jsonrpc.JsonRpcMessage;
import dev.gatehouse.core.jsonrpc.JsonRpcNotification;
import dev.gatehouse.core.jsonrpc.JsonRpcRequest;
import dev.gatehouse.core.jsonrpc.JsonRpcResponse;
import dev.gatehouse.core.target.Target;
import dev.gatehouse.server.credentials.UpstreamCredential;
import dev.gatehouse.server.egress.EgressDeniedException;
import org.apache.hc.client5.http.classic.methods.HttpUriRequestBase;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpEntity;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * One MCP client session with a target, shared by every caller of the same credential scope. Subclasses
 * implement a transport. Thread-safe: many requests may be in flight at once.
 */
abstract sealed class UpstreamSession permits StreamableSession, LegacySseSession {

	/** The revisions the gateway accepts from a target's {@code initialize} answer. */
	static final java.util.Set<String> SUPPORTED_VERSIONS = java.util.Set.of("2024-11-05", "2025-03-26",
			"2025-06-18", "2025-11-25");

	/** The revision the gateway asks targets for. */
	static final String REQUESTED_VERSION = "2025-11-25";

	final Target target;

	final String scope;

	final UpstreamHttp http;

	final JsonRpcCodec codec;

	final Clock clock;

	final int maxResponseBytes;

	private final AtomicLong ids = new AtomicLong();

	volatile boolean closed;

	/** Filled by {@code initialize}. */
	volatile String protocolVersion = REQUESTED_VERSION;

	volatile ObjectNode serverCapabilities = JsonNodeFactory.instance.objectNode();

	volatile @Nullable ObjectNode serverInfo;

	volatile @Nullable String instructions;

	UpstreamSession(Target target, String scope, UpstreamHttp http, JsonRpcCodec codec, Clock clock,
			int maxResponseBytes) {
		this.target = Objects.requireNonNull(target, "target must not be null");
		this.scope = Objects.requireNonNull(scope, "scope must not be null");
		this.http = http;
		this.codec = codec;
		this.clock = clock;
		this.maxResponseBytes = maxResponseBytes;
	}

	/** Sends a request and waits for its answer, relaying related messages to the call's listener. */
	abstract JsonRpcResponse request(UpstreamCall call) throws SessionExpiredException;

	/** Sends a notification (best effort within the idle timeout). */
	abstract void notify(JsonRpcNotification notification, UpstreamCredential credential);

	/** Answers a server→client request that arrived on this session. */
	abstract void respond(JsonRpcResponse response, UpstreamCredential credential) throws SessionExpiredException;

	/** Ends the session, telling the target when it can. */
	abstract void close();

	/** Where a server→client request on this session came from. */
	abstract UpstreamRequestOrigin origin();

	long nextId() {
		return ids.incrementAndGet();
	}

	String targetName() {
		return target.name();
	}

	/** The initialize parameters the gateway sends: it declares what agents behind it may answer. */
	static ObjectNode initializeParams(String gatewayVersion) {
		ObjectNode params = JsonNodeFactory.instance.objectNode();
		params.put("protocolVersion", REQUESTED_VERSION);
		ObjectNode capabilities = params.putObject("capabilities");
		capabilities.putObject("sampling");
		ObjectNode elicitation = capabilities.putObject("elicitation");
		elicitation.putObject("form");
		elicitation.putObject("url");
		ObjectNode info = params.putObject("clientInfo");
		info.put("name", "gatehouse");
		info.put("title", "Gatehouse MCP gateway");
		info.put("version", gatewayVersion);
		return params;
	}

	/** Reads an {@code initialize} result into this session's state. */
	void acceptInitializeResult(JsonRpcResponse response) {
		if (response.isError()) {
			throw new UpstreamException(UpstreamException.Kind.PROTOCOL, targetName(),
					"target '" + targetName() + "' refused initialize: " + response.error().message());
		}
		JsonNode result = response.result();
		String version = (result.get("protocolVersion") != null) ? result.get("protocolVersion").asString() : "";
		if (!SUPPORTED_VERSIONS.contains(version)) {
			throw new UpstreamException(UpstreamException.Kind.PROTOCOL, targetName(), "target '" + targetName()
					+ "' answered initialize with protocol version '" + printable(version)
					+ "', which the gateway does not speak");
		}
		protocolVersion = version;
		if (result.get("capabilities") instanceof ObjectNode caps) {
			serverCapabilities = caps;
		}
		if (result.get("serverInfo") instanceof ObjectNode info) {
			serverInfo = info;
		}
		if (result.get("instructions") != null && result.get("instructions").isString()) {
			instructions = result.get("instructions").stringValue();
		}
	}

	/** Whether the target said it sends notifications worth listening for outside requests. */
	boolean wantsListener() {
		return flag("tools", "listChanged") || flag("prompts", "listChanged") || flag("resources", "listChanged")
				|| flag("resources", "subscribe");
	}

	boolean flag(String capability, String name) {
		JsonNode cap = serverCapabilities.get(capability);
		return cap != null && cap.get(name) != null && cap.get(name).asBoolean(false);
	}

	boolean hasCapability(String capability) {
		return serverCapabilities.get(capability) != null && serverCapabilities.get(capability).isObject();
	}

	// --- HTTP helpers shared by the transports ---

	void applyHeaders(HttpUriRequestBase request, UpstreamCredential credential) {
		target.headers().forEach(request::setHeader);
		if (credential instanceof UpstreamCredential.Header header) {
			request.setHeader(header.name(), header.value().reveal());
		}
		else if (credential instanceof UpstreamCredential.OAuthToken oauth) {
			request.setHeader("Authorization", oauth.authorization().reveal());
		}
	}

	JsonRpcMessage parseMessage(String text) {
		try {
			return codec.toMessage(codec.parseJson(text.getBytes(StandardCharsets.UTF_8)));
		}
		catch (JsonRpcException ex) {
			throw protocol("sent a message that is not valid JSON-RPC (" + ex.getMessage() + ")");
		}
	}

	JsonRpcMessage parseMessage(byte[] body) {
		try {
			return codec.toMessage(codec.parseJson(body));
		}
		catch (JsonRpcException ex) {
			throw protocol("answered with a body that is not valid JSON-RPC (" + ex.getMessage() + ")");
		}
	}

	byte[] readBody(ClassicHttpResponse response) throws IOException {
		HttpEntity entity = response.getEntity();
		if (entity == null) {
			return new byte[0];
		}
		if (entity.getContentLength() > maxResponseBytes) {
			throw protocol("answered with " + entity.getContentLength() + " bytes, more than the limit of "
					+ maxResponseBytes);
		}
		try (InputStream in = entity.getContent()) {
			long declared = entity.getContentLength();
			if (declared >= 0) {
				// One array of the declared size; a body that ends early fails in the client (premature end).
				byte[] body = new byte[(int) declared];
				int read = in.readNBytes(body, 0, body.length);
				return (read == body.length) ? body : java.util.Arrays.copyOf(body, read);
			}
			ByteArrayOutputStream out = new ByteArrayOutputStream();
			byte[] buffer = new byte[8192];
			int n;
			while ((n = in.read(buffer)) > 0) {
				out.write(buffer, 0, n);
				if (out.size() > maxResponseBytes) {
					throw protocol("answered with more than the limit of " + maxResponseBytes + " bytes");
				}
			}
			return out.toByteArray();
		}
	}

	static String contentType(ClassicHttpResponse response) {
		Header header = response.getFirstHeader("Content-Type");
		if (header == null) {
			return "";
		}
		String value = header.getValue();
		int semicolon = value.indexOf(';');
		return ((semicolon >= 0) ? value.substring(0, semicolon) : value).strip().toLowerCase(Locale.ROOT);
	}

	/** Turns an I/O failure into the failure the agent is told about. */
	UpstreamException ioFailure(IOException ex, Duration idleTimeout) {
		String name = targetName();
		if (ex instanceof EgressDeniedException) {
			return new UpstreamException(UpstreamException.Kind.EGRESS_DENIED, name, 0,
					"target '" + name + "' is not reachable: " + ex.getMessage(), ex);
		}
		if (ex instanceof SocketTimeoutException) {
			return new UpstreamException(UpstreamException.Kind.TIMEOUT, name, 0, "target '" + name
					+ "' did not answer within " + format(idleTimeout), ex);
		}
		if (ex instanceof ConnectException || ex instanceof UnknownHostException
				|| ex instanceof NoRouteToHostException || ex instanceof org.apache.hc.client5.http.ConnectTimeoutException
				|| ex instanceof org.apache.hc.client5.http.HttpHostConnectException) {
			return new UpstreamException(UpstreamException.Kind.UNREACHABLE, name, 0, "target '" + name
					+ "' is unreachable at " + target.endpoint() + " (" + describe(ex) + ")", ex);
		}
		if (ex instanceof SSLException) {
			return new UpstreamException(UpstreamException.Kind.UNREACHABLE, name, 0,
					"target '" + name + "' failed the TLS handshake (" + describe(ex) + ")", ex);
		}
		return new UpstreamException(UpstreamException.Kind.UNREACHABLE, name, 0,
				"target '" + name + "' broke the connection (" + describe(ex) + ")", ex);
	}

	UpstreamException protocol(String what) {
		return new UpstreamException(UpstreamException.Kind.PROTOCOL, targetName(),
				"target '" + targetName() + "' " + what);
	}

	static String describe(IOException ex) {
		String message = ex.getMessage();
		return ex.getClass().getSimpleName() + ((message != null) ? ": " + printable(message) : "");
	}

	static String format(Duration d) {
		return (d.toMillisPart() == 0) ? d.toSeconds() + "s" : d.toMillis() + "ms";
	}

	static String printable(String text) {
		String cut = (text.length() > 200) ? text.substring(0, 200) + "…" : text;
		return cut.replaceAll("\\p{Cntrl}", "?");
	}

	/** A progress notification for this call, mapped back to the agent's token; {@code null} if not ours. */
	static @Nullable JsonRpcNotification mapProgress(JsonRpcNotification notification, String upstreamToken,
			@Nullable JsonNode agentToken) {
		ObjectNode params = notification.params();
		if (params == null || agentToken == null) {
			return null;
		}
		JsonNode token = params.get("progressToken");
		if (token == null || !token.isString() || !token.stringValue().equals(upstreamToken)) {
			return null;
		}
		ObjectNode mapped = params.deepCopy();
		mapped.set("progressToken", agentToken);
		return new JsonRpcNotification(notification.method(), mapped);
	}

	/** The request's params with the gateway's own progress token, when the agent asked for progress. */
	static @Nullable ObjectNode withProgressToken(@Nullable ObjectNode params, String upstreamToken,
			@Nullable JsonNode agentToken) {
		if (agentToken == null) {
			return params;
		}
		ObjectNode copy = (params != null) ? params.deepCopy() : JsonNodeFactory.instance.objectNode();
		JsonNode meta = copy.get("_meta");
		ObjectNode metaObject = (meta instanceof ObjectNode m) ? m : copy.putObject("_meta");
		metaObject.put("progressToken", upstreamToken);
		return copy;
	}

	/** Thrown when the target no longer knows the session: the caller re-initialises and retries once. */
	static final class SessionExpiredException extends Exception {

		SessionExpiredException() {
			super(null, null, false, false);
		}
	}
}
