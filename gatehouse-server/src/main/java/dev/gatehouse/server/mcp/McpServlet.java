package dev.gatehouse.server.mcp;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import dev.gatehouse.core.access.Caller;
import dev.gatehouse.core.jsonrpc.JsonRpcCodec;
import dev.gatehouse.core.jsonrpc.JsonRpcError;
import dev.gatehouse.core.jsonrpc.JsonRpcErrorCode;
import dev.gatehouse.core.jsonrpc.JsonRpcException;
import dev.gatehouse.core.jsonrpc.JsonRpcMessage;
import dev.gatehouse.core.jsonrpc.JsonRpcNotification;
import dev.gatehouse.core.jsonrpc.JsonRpcRequest;
import dev.gatehouse.core.jsonrpc.JsonRpcResponse;
import dev.gatehouse.core.mcp.ClientCapabilities;
import dev.gatehouse.core.mcp.ProtocolVersion;
import dev.gatehouse.server.access.AccessSettings;
import dev.gatehouse.server.access.AuthenticationRequiredException;
import dev.gatehouse.server.access.InsufficientScopeException;
import dev.gatehouse.server.access.InboundAuthenticator;
import dev.gatehouse.server.catalog.Catalog;
import dev.gatehouse.server.config.GatehouseProperties;
import dev.gatehouse.server.monitor.Tracing;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The Streamable HTTP endpoint {@code /mcp}: POST carries one JSON-RPC message (a batch only in 2025-03-26),
 * GET holds a stream for a session's notifications, DELETE ends a session. Every transport rule is checked
 * here, before any work, and every rejection names the header or field at fault and changes nothing.
 *
 * @see <a href="https://modelcontextprotocol.io/specification/2025-11-25/basic/transports">Transports</a>
 */
final class McpServlet extends HttpServlet {

	private static final Logger logger = LoggerFactory.getLogger(McpServlet.class);

	private final transient JsonRpcCodec codec;

	private final transient McpSessions sessions;

	private final transient McpDispatcher dispatcher;

	private final transient OriginGuard guard;

	private final transient InboundAuthenticator authenticator;

	private final transient ServerRequestRelay relay;

	private final transient InFlightCalls inFlight;

	private final transient HeldStreams held;

	private final transient ServerIdentity identity;

	private final transient Catalog catalog;

	private final transient AccessSettings access;

	private final transient dev.gatehouse.server.audit.AuditTrail audit;

	private final transient Tracing tracing;

	private final long maxRequestBytes;

	McpServlet(JsonRpcCodec codec, McpSessions sessions, McpDispatcher dispatcher, InboundAuthenticator authenticator,
			ServerRequestRelay relay, InFlightCalls inFlight, HeldStreams held, ServerIdentity identity, Catalog catalog,
			AccessSettings access, dev.gatehouse.server.audit.AuditTrail audit, GatehouseProperties properties,
			Tracing tracing) {
		this.codec = codec;
		this.sessions = sessions;
		this.dispatcher = dispatcher;
		this.guard = new OriginGuard(properties);
		this.authenticator = authenticator;
		this.relay = relay;
		this.inFlight = inFlight;
		this.held = held;
		this.identity = identity;
		this.catalog = catalog;
		this.access = access;
		this.audit = audit;
		this.tracing = tracing;
		this.maxRequestBytes = properties.mcp().maxRequestSize().toBytes();
	}

	// ---------------------------------------------------------------- POST

	@Override
	protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
		long start = System.nanoTime();
		Caller caller = admit(request, response);
		if (caller == null) {
			return;
		}
		Optional<String> contentType = checkContentType(request.getContentType());
		if (contentType.isPresent()) {
			reject(response, 415, JsonRpcErrorCode.INVALID_REQUEST, contentType.get());
			return;
		}
		if (!accepts(request, "application/json") || !accepts(request, "text/event-stream")) {
			reject(response, 400, JsonRpcErrorCode.INVALID_REQUEST,
					"Invalid request: the Accept header must list both application/json and text/event-stream");
			return;
		}
		byte[] body = readBody(request, response);
		if (body == null) {
			return;
		}
		JsonNode json;
		try {
			json = codec.parseJson(body);
		}
		catch (JsonRpcException ex) {
			reject(response, 400, ex);
			return;
		}
		String versionHeader = request.getHeader("MCP-Protocol-Version");
		if (StatelessEnvelope.applies(versionHeader, json)) {
			postStateless(request, response, caller, json, versionHeader, start);
		}
		else {
			postInSession(request, response, caller, json, versionHeader, start);
		}
	}

	private void postInSession(HttpServletRequest request, HttpServletResponse response, Caller caller, JsonNode json,
			@Nullable String versionHeader, long start) throws IOException {
		if (json.isObject() && "initialize".equals(json.path("method").asString(null)) && json.has("id")) {
			initialize(response, caller, json, start);
			return;
		}
		McpSession session = session(request, response, caller);
		if (session == null) {
			return;
		}
		ProtocolVersion version = checkVersion(response, versionHeader, session);
		if (version == null) {
			return;
		}
		McpContext context = new McpContext(caller, version, session.capabilities(), session, null,
				telemetry(request, start));
		if (json.isArray()) {
			batch(response, (ArrayNode) json, context);
			return;
		}
		JsonRpcMessage message = message(response, json);
		if (message != null) {
			handle(response, message, context);
		}
	}

	private void initialize(HttpServletResponse response, Caller caller, JsonNode json, long start) throws IOException {
		JsonRpcMessage message = message(response, json);
		if (!(message instanceof JsonRpcRequest request)) {
			return;
		}
		JsonNode requested = request.paramsOrEmpty().get("protocolVersion");
		if (requested == null || !requested.isString()) {
			writeJson(response, 200, JsonRpcResponse.error(request.id(), new JsonRpcException(
					JsonRpcErrorCode.INVALID_PARAMS, "initialize needs 'protocolVersion', such as \"2025-11-25\"")));
			return;
		}
		ProtocolVersion version = ProtocolVersion.negotiate(requested.stringValue());
		ClientCapabilities capabilities = ClientCapabilities.fromJson(request.paramsOrEmpty().get("capabilities"));
		McpSession session = sessions.create(caller, version, capabilities);
		ObjectNode result = JsonNodeFactory.instance.objectNode();
		result.put("protocolVersion", version.id());
		result.set("capabilities", identity.capabilities(false));
		result.set("serverInfo", identity.serverInfo());
		result.put("instructions", identity.instructions(catalog.snapshot()));
		response.setHeader("Mcp-Session-Id", session.id());
		response.setHeader("Server-Timing", new RequestTelemetry(start, io.opentelemetry.context.Context.root())
			.serverTiming());
		writeJson(response, 200, JsonRpcResponse.result(request.id(), result));
		logger.debug("Session {} started for {} (protocol {})", session.key(), caller.subject(), version);
	}

	private void handle(HttpServletResponse response, JsonRpcMessage message, McpContext context) throws IOException {
		if (message instanceof JsonRpcRequest request) {
			if (request.method().equals("initialize")) {
				writeJson(response, 400, JsonRpcResponse.error(request.id(), new JsonRpcException(
						JsonRpcErrorCode.INVALID_REQUEST, "Invalid request: send initialize without Mcp-Session-Id")));
				return;
			}
			dispatcher.dispatch(request, context, new HttpResponseChannel(response, codec, context.telemetry()));
		}
		else if (message instanceof JsonRpcNotification notification) {
			notification(notification, context);
			response.setStatus(202);
		}
		else {
			answer(response, (JsonRpcResponse) message, context);
		}
	}

	private void notification(JsonRpcNotification notification, McpContext context) {
		if (notification.method().equals("notifications/cancelled") && context.session() != null
				&& notification.params() != null && notification.params().get("requestId") != null) {
			inFlight.cancel(context.session().key(), notification.params().get("requestId"));
		}
	}

	private void answer(HttpServletResponse response, JsonRpcResponse answer, McpContext context) throws IOException {
		if (!ServerRequestRelay.isRelayId(answer.id())) {
			reject(response, 400, JsonRpcErrorCode.INVALID_REQUEST,
					"Invalid request: this response answers no request the gateway sent");
			return;
		}
		Optional<String> failure = relay.deliver(answer, context.caller(), context.session());
		if (failure.isEmpty()) {
			response.setStatus(202);
		}
		else if (failure.get().startsWith("the response's id")) {
			reject(response, 400, JsonRpcErrorCode.INVALID_REQUEST, "Invalid request: " + failure.get());
		}
		else {
			reject(response, 502, JsonRpcErrorCode.INTERNAL_ERROR, "The answer could not be delivered: " + failure.get());
		}
	}

	private void batch(HttpServletResponse response, ArrayNode batch, McpContext context) throws IOException {
		if (!context.version().allowsBatches()) {
			reject(response, 400, JsonRpcErrorCode.INVALID_REQUEST, "Invalid request: JSON-RPC batches are allowed "
					+ "only in protocol version 2025-03-26; this session uses " + context.version().id());
			return;
		}
		if (batch.isEmpty()) {
			reject(response, 400, JsonRpcErrorCode.INVALID_REQUEST, "Invalid request: the batch is empty");
			return;
		}
		List<JsonRpcResponse> answers = new ArrayList<>();
		for (JsonNode element : batch) {
			JsonRpcMessage message;
			try {
				message = codec.toMessage(element);
			}
			catch (JsonRpcException ex) {
				answers.add(JsonRpcResponse.error(JsonRpcCodec.peekId(element), ex));
				continue;
			}
			if (message instanceof JsonRpcRequest request) {
				if (request.method().equals("initialize")) {
					answers.add(JsonRpcResponse.error(request.id(), new JsonRpcException(
							JsonRpcErrorCode.INVALID_REQUEST, "Invalid request: initialize cannot be part of a batch")));
					continue;
				}
				CollectingChannel channel = new CollectingChannel();
				dispatcher.dispatch(request, context, channel);
				if (channel.answer() != null) {
					answers.add(channel.answer());
				}
			}
			else if (message instanceof JsonRpcNotification notification) {
				notification(notification, context);
			}
			else {
				relay.deliver((JsonRpcResponse) message, context.caller(), context.session());
			}
		}
		if (answers.isEmpty()) {
			response.setStatus(202);
			return;
		}
		ArrayNode array = JsonNodeFactory.instance.arrayNode();
		answers.forEach((a) -> array.add(a.toJson()));
		response.setHeader("Server-Timing", context.telemetry().serverTiming());
		writeBytes(response, 200, codec.write(array));
	}

	private void postStateless(HttpServletRequest request, HttpServletResponse response, Caller caller, JsonNode json,
			@Nullable String versionHeader, long start) throws IOException {
		if (json.isArray()) {
			reject(response, 400, JsonRpcErrorCode.INVALID_REQUEST,
					"Invalid request: MCP 2026-07-28 allows one JSON-RPC message per POST, not a batch");
			return;
		}
		JsonRpcMessage message = message(response, json);
		if (message == null) {
			return;
		}
		if (message instanceof JsonRpcNotification) {
			response.setStatus(202);
			return;
		}
		if (!(message instanceof JsonRpcRequest rpc)) {
			reject(response, 400, JsonRpcErrorCode.INVALID_REQUEST,
					"Invalid request: MCP 2026-07-28 sends no requests to clients, so there is nothing to answer");
			return;
		}
		StatelessEnvelope envelope;
		try {
			envelope = StatelessEnvelope.read(rpc, versionHeader, request.getHeader("Mcp-Method"),
					request.getHeader("Mcp-Name"));
		}
		catch (JsonRpcException ex) {
			writeJson(response, 400, JsonRpcResponse.error(rpc.id(), ex));
			return;
		}
		McpContext context = new McpContext(caller, ProtocolVersion.V2026_07_28, envelope.capabilities(), null,
				envelope.logLevel(), telemetry(request, start));
		if (!McpDispatcher.exists(rpc.method(), true)) {
			writeJson(response, 404, JsonRpcResponse.error(rpc.id(), McpDispatcher.methodNotFound(rpc.method(), context)));
			return;
		}
		if (rpc.method().equals("subscriptions/listen")) {
			listen(request, response, rpc);
			return;
		}
		dispatcher.dispatch(rpc, context, new HttpResponseChannel(response, codec, context.telemetry()));
	}

	/** {@code subscriptions/listen}: a held SSE stream of the notifications the client asked for. */
	private void listen(HttpServletRequest request, HttpServletResponse response, JsonRpcRequest rpc) throws IOException {
		JsonNode wanted = rpc.paramsOrEmpty().path("notifications");
		boolean tools = wanted.path("toolsListChanged").asBoolean(false);
		boolean prompts = wanted.path("promptsListChanged").asBoolean(false);
		boolean resources = wanted.path("resourcesListChanged").asBoolean(false);
		java.util.Set<String> uris = new java.util.TreeSet<>();
		wanted.path("resourceSubscriptions").forEach((u) -> {
			if (u.isString()) {
				uris.add(u.stringValue());
			}
		});
		ObjectNode honoured = JsonNodeFactory.instance.objectNode();
		honoured.put("toolsListChanged", tools);
		honoured.put("promptsListChanged", prompts);
		honoured.put("resourcesListChanged", resources);
		ArrayNode uriArray = honoured.putArray("resourceSubscriptions");
		uris.forEach(uriArray::add);
		ObjectNode params = JsonNodeFactory.instance.objectNode();
		params.putObject("_meta").set("io.modelcontextprotocol/subscriptionId", rpc.id().toJson());
		params.set("notifications", honoured);
		startStream(response);
		AsyncContext async = request.startAsync();
		held.hold(async, new HeldStreams.Filter(null, tools, prompts, resources, uris, rpc.id().toJson()),
				new JsonRpcNotification("notifications/subscriptions/acknowledged", params));
	}

	/** The request's timing, with the agent's trace context when tracing is on (nothing is read otherwise). */
	private RequestTelemetry telemetry(HttpServletRequest request, long start) {
		return new RequestTelemetry(start, tracing.enabled() ? tracing.extract(request::getHeader)
				: io.opentelemetry.context.Context.root());
	}

	// ---------------------------------------------------------------- GET and DELETE

	@Override
	protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
		Caller caller = admit(request, response);
		if (caller == null) {
			return;
		}
		if (!accepts(request, "text/event-stream")) {
			reject(response, 400, JsonRpcErrorCode.INVALID_REQUEST,
					"Invalid request: a GET stream needs an Accept header listing text/event-stream");
			return;
		}
		if (request.getHeader("Mcp-Session-Id") == null) {
			response.setHeader("Allow", "POST");
			reject(response, 405, JsonRpcErrorCode.INVALID_REQUEST, "A GET stream needs an MCP session "
					+ "(Mcp-Session-Id from initialize); MCP 2026-07-28 clients use subscriptions/listen instead");
			return;
		}
		McpSession session = session(request, response, caller);
		if (session == null || checkVersion(response, request.getHeader("MCP-Protocol-Version"), session) == null) {
			return;
		}
		startStream(response);
		AsyncContext async = request.startAsync();
		held.hold(async, HeldStreams.Filter.session(session.key()), null);
	}

	@Override
	protected void doDelete(HttpServletRequest request, HttpServletResponse response) throws IOException {
		Caller caller = admit(request, response);
		if (caller == null) {
			return;
		}
		if (request.getHeader("Mcp-Session-Id") == null) {
			reject(response, 400, JsonRpcErrorCode.INVALID_REQUEST,
					"Invalid request: DELETE needs the Mcp-Session-Id header of the session to end");
			return;
		}
		McpSession session = session(request, response, caller);
		if (session == null) {
			return;
		}
		sessions.end(session);
		held.endSession(session.key());
		response.setStatus(200);
	}

	// ---------------------------------------------------------------- checks shared by all methods

	/** Origin, Host and authentication; {@code null} when the request was refused. */
	private @Nullable Caller admit(HttpServletRequest request, HttpServletResponse response) throws IOException {
		Optional<String> origin = guard.checkOrigin(request.getHeader("Origin"));
		if (origin.isPresent()) {
			reject(response, 403, JsonRpcErrorCode.INVALID_REQUEST, "Forbidden: " + origin.get());
			return null;
		}
		Optional<String> host = guard.checkHost(request.getHeader("Host"));
		if (host.isPresent()) {
			reject(response, 403, JsonRpcErrorCode.INVALID_REQUEST, "Forbidden: " + host.get());
			return null;
		}
		try {
			return authenticator.authenticate(request);
		}
		catch (AuthenticationRequiredException ex) {
			if (ex.status() == 401) {
				response.setHeader("WWW-Authenticate",
						access.challenge(ex.error(), ex.getMessage(), access.requiredScopes()));
				reject(response, 401, JsonRpcErrorCode.INVALID_REQUEST, "Unauthorized: " + ex.getMessage());
			}
			else {
				response.setHeader("Retry-After", "5");
				reject(response, ex.status(), JsonRpcErrorCode.INTERNAL_ERROR, "Service unavailable: " + ex.getMessage());
			}
			return null;
		}
		catch (InsufficientScopeException ex) {
			response.setHeader("WWW-Authenticate",
					access.challenge("insufficient_scope", ex.getMessage(), ex.requiredScopes()));
			reject(response, 403, JsonRpcErrorCode.INVALID_REQUEST, "Forbidden: " + ex.getMessage());
			return null;
		}
	}

	private @Nullable McpSession session(HttpServletRequest request, HttpServletResponse response, Caller caller)
			throws IOException {
		String id = request.getHeader("Mcp-Session-Id");
		if (id == null || id.isBlank()) {
			reject(response, 400, JsonRpcErrorCode.INVALID_REQUEST,
					"Invalid request: the Mcp-Session-Id header is required; call initialize first");
			return null;
		}
		try {
			return sessions.open(id.strip(), caller);
		}
		catch (SessionNotFoundException ex) {
			logger.debug("Session refused: {}", ex.getMessage());
			audit.event("session_rejected", java.util.Map.of("issuer", caller.issuer(), "subject", caller.subject(),
					"reason", ex.getMessage(), "path", request.getRequestURI()));
			reject(response, 404, JsonRpcErrorCode.INVALID_REQUEST,
					"Session not found: it ended, expired or never existed; call initialize to start a new one");
			return null;
		}
	}

	private @Nullable ProtocolVersion checkVersion(HttpServletResponse response, @Nullable String header,
			McpSession session) throws IOException {
		if (header == null) {
			return session.version();
		}
		Optional<ProtocolVersion> version = ProtocolVersion.find(header.strip());
		if (version.isEmpty() || version.get().isStateless()) {
			reject(response, 400, JsonRpcErrorCode.INVALID_REQUEST, "Bad request: unsupported MCP-Protocol-Version '"
					+ printable(header) + "'; this session uses " + session.version().id());
			return null;
		}
		// A supported revision other than the negotiated one is accepted (the specification refuses only invalid
		// or unsupported values); the session keeps the semantics it negotiated.
		return session.version();
	}

	private @Nullable JsonRpcMessage message(HttpServletResponse response, JsonNode json) throws IOException {
		try {
			return codec.toMessage(json);
		}
		catch (JsonRpcException ex) {
			writeJson(response, 400, JsonRpcResponse.error(JsonRpcCodec.peekId(json), ex));
			return null;
		}
	}

	static Optional<String> checkContentType(@Nullable String contentType) {
		if (contentType == null) {
			return Optional.of("Unsupported media type: the Content-Type header must be application/json");
		}
		String[] parts = contentType.split(";");
		if (!parts[0].strip().equalsIgnoreCase("application/json")) {
			return Optional.of("Unsupported media type: the Content-Type header must be application/json, not '"
					+ printable(parts[0].strip()) + "'");
		}
		for (int i = 1; i < parts.length; i++) {
			String param = parts[i].strip().toLowerCase(Locale.ROOT);
			if (param.startsWith("charset=") && !param.equals("charset=utf-8") && !param.equals("charset=\"utf-8\"")) {
				return Optional.of("Unsupported media type: JSON-RPC bodies must be UTF-8");
			}
		}
		return Optional.empty();
	}

	/** Whether the Accept header admits {@code type} (wildcards included). */
	static boolean accepts(HttpServletRequest request, String type) {
		String major = type.substring(0, type.indexOf('/'));
		for (String value : java.util.Collections.list(request.getHeaders("Accept"))) {
			for (String range : value.split(",")) {
				String media = range.split(";")[0].strip().toLowerCase(Locale.ROOT);
				if (media.equals(type) || media.equals("*/*") || media.equals(major + "/*")) {
					return true;
				}
			}
		}
		return false;
	}

	private byte @Nullable [] readBody(HttpServletRequest request, HttpServletResponse response) throws IOException {
		long declared = request.getContentLengthLong();
		if (declared > maxRequestBytes) {
			tooLarge(response);
			return null;
		}
		try (InputStream in = request.getInputStream()) {
			if (declared >= 0 && declared <= Integer.MAX_VALUE - 8) {
				// The usual case: one array of the declared size (the container ends the stream there), not 8 KiB
				// chunks copied together.
				byte[] body = new byte[(int) declared];
				int read = in.readNBytes(body, 0, body.length);
				return (read == body.length) ? body : java.util.Arrays.copyOf(body, read);
			}
			byte[] body = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxRequestBytes + 1));
			if (body.length > maxRequestBytes) {
				tooLarge(response);
				return null;
			}
			return body;
		}
	}

	private void tooLarge(HttpServletResponse response) throws IOException {
		response.setHeader("Connection", "close");
		reject(response, 413, JsonRpcErrorCode.INVALID_REQUEST, "Payload too large: the request body exceeds "
				+ maxRequestBytes + " bytes (gatehouse.mcp.max-request-size)");
	}

	private static void startStream(HttpServletResponse response) throws IOException {
		response.setStatus(200);
		response.setContentType("text/event-stream");
		response.setCharacterEncoding("UTF-8");
		response.setHeader("Cache-Control", "no-cache, no-transform");
		response.setHeader("X-Accel-Buffering", "no");
		response.flushBuffer();
	}

	// ---------------------------------------------------------------- writing errors

	private void reject(HttpServletResponse response, int status, JsonRpcErrorCode code, String message)
			throws IOException {
		writeJson(response, status, JsonRpcResponse.error(null, new JsonRpcError(code.code(), message, null)));
	}

	private void reject(HttpServletResponse response, int status, JsonRpcException ex) throws IOException {
		writeJson(response, status, JsonRpcResponse.error(null, ex));
	}

	private void writeJson(HttpServletResponse response, int status, JsonRpcResponse answer) throws IOException {
		writeBytes(response, status, codec.write(answer));
	}

	private static void writeBytes(HttpServletResponse response, int status, byte[] body) throws IOException {
		response.setStatus(status);
		response.setContentType("application/json");
		response.setContentLength(body.length);
		response.getOutputStream().write(body);
	}

	private static String printable(String value) {
		String cut = (value.length() > 100) ? value.substring(0, 100) + "…" : value;
		return cut.replaceAll("\\p{Cntrl}", "?");
	}
}
