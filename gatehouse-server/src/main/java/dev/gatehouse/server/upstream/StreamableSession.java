package dev.gatehouse.server.upstream;

import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import dev.gatehouse.core.jsonrpc.JsonRpcCodec;
import dev.gatehouse.core.jsonrpc.JsonRpcError;
import dev.gatehouse.core.jsonrpc.JsonRpcErrorCode;
import dev.gatehouse.core.jsonrpc.JsonRpcId;
import dev.gatehouse.core.jsonrpc.JsonRpcMessage;
import dev.gatehouse.core.jsonrpc.JsonRpcNotification;
import dev.gatehouse.core.jsonrpc.JsonRpcRequest;
import dev.gatehouse.core.jsonrpc.JsonRpcResponse;
import dev.gatehouse.core.target.Target;
import dev.gatehouse.server.credentials.UpstreamCredential;
import org.apache.hc.client5.http.classic.methods.HttpDelete;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.classic.methods.HttpUriRequestBase;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * An upstream session over Streamable HTTP (MCP 2025-03-26 and later): every message is a POST, answered with
 * JSON or an SSE stream; the {@code Mcp-Session-Id} from {@code initialize} goes on every later request; a
 * stream that ends before its answer is resumed with GET and {@code Last-Event-ID}; a GET stream carries the
 * target's own notifications.
 *
 * @see <a href="https://modelcontextprotocol.io/specification/2025-11-25/basic/transports#streamable-http">
 * Streamable HTTP</a>
 */
final class StreamableSession extends UpstreamSession {

	private static final Logger logger = LoggerFactory.getLogger(StreamableSession.class);

	private static final ContentType JSON = ContentType.APPLICATION_JSON;

	private static final int MAX_RESUMES = 3;

	private final ScheduledExecutorService timers;

	private final ExecutorService background;

	private final TargetNotificationSink sink;

	private final Runnable onExpired;

	volatile @Nullable String sessionId;

	private volatile UpstreamCredential lastCredential;

	private final AtomicReference<@Nullable HttpUriRequestBase> listenerRequest = new AtomicReference<>();

	StreamableSession(Target target, String scope, UpstreamHttp http, JsonRpcCodec codec, Clock clock,
			int maxResponseBytes, ScheduledExecutorService timers, ExecutorService background,
			TargetNotificationSink sink, UpstreamCredential credential, Runnable onExpired) {
		super(target, scope, http, codec, clock, maxResponseBytes);
		this.timers = timers;
		this.background = background;
		this.sink = sink;
		this.lastCredential = credential;
		this.onExpired = onExpired;
	}

	/**
	 * Runs {@code initialize}.
	 * @return {@code false} when the target does not speak Streamable HTTP (400, 404 or 405 to the POST), so the
	 * caller may try the 2024-11-05 transport
	 */
	boolean initialize(String gatewayVersion, Duration timeout) {
		JsonRpcRequest request = new JsonRpcRequest(JsonRpcId.of(nextId()), "initialize",
				initializeParams(gatewayVersion));
		HttpPost post = post(codec.write(request), lastCredential, false);
		try (ClassicHttpResponse response = http.execute(post, timeout)) {
			int status = response.getCode();
			if (status == 400 || status == 404 || status == 405) {
				EntityUtils.consumeQuietly(response.getEntity());
				return false;
			}
			Header header = response.getFirstHeader("Mcp-Session-Id");
			if (header != null) {
				sessionId = validSessionId(header.getValue());
			}
			UpstreamCall call = new UpstreamCall(target, lastCredential, "initialize", null, null, timeout,
					clock.instant().plus(timeout), UpstreamListener.NONE, new CancellationSignal());
			acceptInitializeResult(readAnswer(response, request, call, ""));
		}
		catch (IOException ex) {
			throw ioFailure(ex, timeout);
		}
		catch (SessionExpiredException ex) {
			throw protocol("answered initialize with 404");
		}
		sendNotification(new JsonRpcNotification("notifications/initialized", null), lastCredential, timeout);
		if (wantsListener()) {
			background.execute(this::listen);
		}
		return true;
	}

	private String validSessionId(String value) {
		if (value.isEmpty() || value.length() > 1024 || !value.chars().allMatch((c) -> c >= 0x21 && c <= 0x7e)) {
			throw protocol("sent an Mcp-Session-Id that is not visible ASCII");
		}
		return value;
	}

	@Override
	JsonRpcResponse request(UpstreamCall call) throws SessionExpiredException {
		lastCredential = call.credential();
		long id = nextId();
		String upstreamToken = "gh-" + id;
		JsonRpcRequest request = new JsonRpcRequest(JsonRpcId.of(id), call.method(),
				withProgressToken(call.params(), upstreamToken, call.agentProgressToken()));
		AtomicReference<HttpUriRequestBase> current = new AtomicReference<>(
				post(codec.write(request), call.credential(), true));
		AtomicBoolean deadlinePassed = new AtomicBoolean();
		Runnable abort = () -> current.get().cancel();
		call.cancellation().onCancel(abort);
		long delay = Math.max(0, Duration.between(clock.instant(), call.deadline()).toMillis());
		ScheduledFuture<?> deadline = timers.schedule(() -> {
			deadlinePassed.set(true);
			current.get().cancel();
		}, delay, TimeUnit.MILLISECONDS);
		try (ClassicHttpResponse response = http.execute(current.get(), call.idleTimeout())) {
			return readAnswer(response, request, call, upstreamToken, current);
		}
		catch (IOException ex) {
			throw failure(ex, id, call, deadlinePassed.get());
		}
		catch (UpstreamException ex) {
			if (ex.kind() == UpstreamException.Kind.TIMEOUT) {
				cancelUpstream(id, "timed out at the gateway");
			}
			throw ex;
		}
		finally {
			deadline.cancel(false);
			call.cancellation().remove(abort);
		}
	}

	private UpstreamException failure(IOException ex, long id, UpstreamCall call, boolean deadlinePassed) {
		if (call.cancellation().isCancelled()) {
			cancelUpstream(id, "cancelled by the agent");
			return new UpstreamException(UpstreamException.Kind.CANCELLED, targetName(),
					"the call to target '" + targetName() + "' was cancelled");
		}
		if (deadlinePassed) {
			cancelUpstream(id, "exceeded the gateway's maximum call duration");
			return new UpstreamException(UpstreamException.Kind.TIMEOUT, targetName(), 0,
					"target '" + targetName() + "' did not finish before the call's time limit", ex);
		}
		UpstreamException failure = ioFailure(ex, call.idleTimeout());
		if (failure.kind() == UpstreamException.Kind.TIMEOUT) {
			cancelUpstream(id, "timed out at the gateway");
		}
		return failure;
	}

	private JsonRpcResponse readAnswer(ClassicHttpResponse response, JsonRpcRequest request, UpstreamCall call,
			String upstreamToken) throws IOException, SessionExpiredException {
		return readAnswer(response, request, call, upstreamToken, null);
	}

	private JsonRpcResponse readAnswer(ClassicHttpResponse response, JsonRpcRequest request, UpstreamCall call,
			String upstreamToken, @Nullable AtomicReference<HttpUriRequestBase> current)
			throws IOException, SessionExpiredException {
		int status = response.getCode();
		if (status == 404 && sessionId != null) {
			EntityUtils.consumeQuietly(response.getEntity());
			throw new SessionExpiredException();
		}
		if (status == 401 || status == 403) {
			EntityUtils.consumeQuietly(response.getEntity());
			throw new UpstreamException(UpstreamException.Kind.UNAUTHORIZED, targetName(), status,
					"target '" + targetName() + "' refused the gateway's credential (HTTP " + status + ")", null);
		}
		if (status >= 400) {
			return errorStatus(response, status);
		}
		String contentType = contentType(response);
		if (contentType.equals("application/json")) {
			JsonRpcMessage message = parseMessage(readBody(response));
			if (message instanceof JsonRpcResponse answer && answersTo(answer, request)) {
				return answer;
			}
			throw protocol("answered '" + request.method() + "' with a JSON message that is not its response");
		}
		if (contentType.equals("text/event-stream")) {
			return readStream(response.getEntity().getContent(), request, call, upstreamToken, current);
		}
		throw protocol("answered '" + request.method() + "' with HTTP " + status + " and Content-Type '"
				+ printable(contentType) + "' instead of application/json or text/event-stream");
	}

	private JsonRpcResponse errorStatus(ClassicHttpResponse response, int status) throws IOException {
		byte[] body = readBody(response);
		if (contentType(response).equals("application/json") && body.length > 0) {
			try {
				if (codec.toMessage(codec.parseJson(body)) instanceof JsonRpcResponse answer && answer.isError()) {
					return answer;
				}
			}
			catch (RuntimeException ex) {
				// not JSON-RPC: report the status
			}
		}
		throw new UpstreamException(UpstreamException.Kind.HTTP_STATUS, targetName(), status,
				"target '" + targetName() + "' answered HTTP " + status, null);
	}

	private static boolean answersTo(JsonRpcResponse answer, JsonRpcRequest request) {
		return answer.id() == null ? answer.isError() : answer.id().equals(request.id());
	}

	private JsonRpcResponse readStream(InputStream in, JsonRpcRequest request, UpstreamCall call,
			String upstreamToken, @Nullable AtomicReference<HttpUriRequestBase> current)
			throws IOException, SessionExpiredException {
		SseReader reader = new SseReader(in, maxResponseBytes);
		String lastEventId = null;
		long retry = -1;
		int resumes = 0;
		ClassicHttpResponse resumed = null;
		try {
			while (true) {
				SseEvent event = reader.next();
				if (event == null) {
					if (lastEventId == null || sessionId == null || current == null || resumes >= MAX_RESUMES) {
						throw protocol("closed the response stream of '" + request.method() + "' without answering");
					}
					resumes++;
					sleep(Math.min(Math.max(retry, 100), 5_000));
					if (resumed != null) {
						resumed.close();
					}
					resumed = resume(lastEventId, call, current);
					reader = new SseReader(resumed.getEntity().getContent(), maxResponseBytes);
					continue;
				}
				if (event.id() != null) {
					lastEventId = event.id();
				}
				if (event.retry() >= 0) {
					retry = event.retry();
				}
				if (!event.isMessage() || event.data().isBlank()) {
					continue;
				}
				JsonRpcResponse answer = dispatch(parseMessage(event.data()), request, call, upstreamToken);
				if (answer != null) {
					return answer;
				}
			}
		}
		finally {
			if (resumed != null) {
				resumed.close();
			}
		}
	}

	private ClassicHttpResponse resume(String lastEventId, UpstreamCall call,
			AtomicReference<HttpUriRequestBase> current) throws IOException, SessionExpiredException {
		HttpGet get = get(call.credential());
		get.setHeader("Last-Event-ID", lastEventId);
		current.set(get);
		if (call.cancellation().isCancelled()) {
			throw new IOException("cancelled");
		}
		ClassicHttpResponse response = http.execute(get, call.idleTimeout());
		int status = response.getCode();
		if (status == 404) {
			response.close();
			throw new SessionExpiredException();
		}
		if (status != 200 || !contentType(response).equals("text/event-stream")) {
			response.close();
			throw protocol("could not resume its response stream (HTTP " + status + ")");
		}
		return response;
	}

	/** Handles one message of a response stream; returns the answer when it is the one awaited. */
	private @Nullable JsonRpcResponse dispatch(JsonRpcMessage message, JsonRpcRequest request, UpstreamCall call,
			String upstreamToken) {
		if (message instanceof JsonRpcResponse answer) {
			return answersTo(answer, request) ? answer : null;
		}
		if (message instanceof JsonRpcNotification notification) {
			if (notification.method().equals("notifications/progress")) {
				JsonRpcNotification mapped = mapProgress(notification, upstreamToken, call.agentProgressToken());
				if (mapped != null) {
					call.listener().onNotification(mapped);
				}
				return null;
			}
			call.listener().onNotification(notification);
			return null;
		}
		JsonRpcRequest serverRequest = (JsonRpcRequest) message;
		if (serverRequest.method().equals("ping")) {
			answerQuietly(JsonRpcResponse.result(serverRequest.id(), JsonNodeFactory.instance.objectNode()));
		}
		else {
			call.listener().onRequest(serverRequest, origin());
		}
		return null;
	}

	@Override
	void notify(JsonRpcNotification notification, UpstreamCredential credential) {
		sendNotification(notification, credential, Duration.ofSeconds(10));
	}

	private void sendNotification(JsonRpcNotification notification, UpstreamCredential credential,
			Duration timeout) {
		HttpPost post = post(codec.write(notification), credential, true);
		try (ClassicHttpResponse response = http.execute(post, timeout)) {
			EntityUtils.consumeQuietly(response.getEntity());
			if (response.getCode() >= 400) {
				logger.debug("Target '{}' answered HTTP {} to {}", targetName(), response.getCode(),
						notification.method());
			}
		}
		catch (IOException ex) {
			logger.debug("Could not send {} to target '{}': {}", notification.method(), targetName(), describe(ex));
		}
	}

	@Override
	void respond(JsonRpcResponse answer, UpstreamCredential credential) throws SessionExpiredException {
		HttpPost post = post(codec.write(answer), credential, true);
		try (ClassicHttpResponse response = http.execute(post, Duration.ofSeconds(30))) {
			EntityUtils.consumeQuietly(response.getEntity());
			if (response.getCode() == 404 && sessionId != null) {
				throw new SessionExpiredException();
			}
			if (response.getCode() >= 400) {
				throw new UpstreamException(UpstreamException.Kind.HTTP_STATUS, targetName(), response.getCode(),
						"target '" + targetName() + "' refused the answer to its request (HTTP "
								+ response.getCode() + ")", null);
			}
		}
		catch (IOException ex) {
			throw ioFailure(ex, Duration.ofSeconds(30));
		}
	}

	private void answerQuietly(JsonRpcResponse answer) {
		background.execute(() -> {
			try {
				respond(answer, lastCredential);
			}
			catch (RuntimeException | SessionExpiredException ex) {
				logger.debug("Could not answer a request of target '{}'", targetName());
			}
		});
	}

	private void cancelUpstream(long id, String reason) {
		ObjectNode params = JsonNodeFactory.instance.objectNode();
		params.put("requestId", id);
		params.put("reason", reason);
		UpstreamCredential credential = lastCredential;
		background.execute(() -> notify(new JsonRpcNotification("notifications/cancelled", params), credential));
	}

	@Override
	UpstreamRequestOrigin origin() {
		return new UpstreamRequestOrigin(targetName(), scope, sessionId, false);
	}

	@Override
	void close() {
		if (closed) {
			return;
		}
		closed = true;
		HttpUriRequestBase listening = listenerRequest.getAndSet(null);
		if (listening != null) {
			listening.cancel();
		}
		String id = sessionId;
		if (id != null) {
			background.execute(() -> {
				HttpDelete delete = new HttpDelete(target.endpoint());
				applyHeaders(delete, lastCredential);
				delete.setHeader("Mcp-Session-Id", id);
				delete.setHeader("MCP-Protocol-Version", protocolVersion);
				try (ClassicHttpResponse response = http.execute(delete, Duration.ofSeconds(5))) {
					EntityUtils.consumeQuietly(response.getEntity());
				}
				catch (IOException ex) {
					logger.debug("Could not end the session with target '{}'", targetName());
				}
				catch (IllegalStateException ex) {
					// The gateway is stopping and its connection pool is already shut down: the target ends the
					// session on its own. (Uncaught, this printed a stack trace at every Ctrl+C of the demo.)
					logger.debug("Not ending the session with target '{}': the gateway is stopping", targetName());
				}
			});
		}
	}

	/** Reads the target's GET stream until the session closes, reconnecting with backoff. */
	private void listen() {
		long backoff = 1_000;
		while (!closed) {
			HttpGet get = get(lastCredential);
			listenerRequest.set(get);
			if (closed) {
				return;
			}
			try (ClassicHttpResponse response = http.execute(get, Duration.ofMinutes(30))) {
				int status = response.getCode();
				if (status == 405) {
					return;
				}
				if (status == 404) {
					expire();
					return;
				}
				if (status == 200 && contentType(response).equals("text/event-stream")) {
					backoff = 1_000;
					readNotifications(new SseReader(response.getEntity().getContent(), maxResponseBytes));
				}
			}
			catch (IOException | RuntimeException ex) {
				if (closed) {
					return;
				}
				logger.debug("The notification stream of target '{}' broke: {}", targetName(), ex.getMessage());
			}
			sleep(backoff);
			backoff = Math.min(backoff * 2, 30_000);
		}
	}

	private void readNotifications(SseReader reader) throws IOException {
		SseEvent event;
		while (!closed && (event = reader.next()) != null) {
			if (!event.isMessage() || event.data().isBlank()) {
				continue;
			}
			JsonRpcMessage message = parseMessage(event.data());
			if (message instanceof JsonRpcNotification notification) {
				sink.onTargetNotification(targetName(), scope, notification);
			}
			else if (message instanceof JsonRpcRequest request) {
				answerQuietly(request.method().equals("ping")
						? JsonRpcResponse.result(request.id(), JsonNodeFactory.instance.objectNode())
						: JsonRpcResponse.error(request.id(), new JsonRpcError(JsonRpcErrorCode.METHOD_NOT_FOUND.code(),
								"The gateway relays requests only while a call is in progress", null)));
			}
		}
	}

	private void expire() {
		closed = true;
		onExpired.run();
	}

	private HttpPost post(byte[] body, UpstreamCredential credential, boolean withSession) {
		HttpPost post = new HttpPost(target.endpoint());
		applyHeaders(post, credential);
		post.setHeader("Accept", "application/json, text/event-stream");
		if (withSession) {
			post.setHeader("MCP-Protocol-Version", protocolVersion);
			if (sessionId != null) {
				post.setHeader("Mcp-Session-Id", sessionId);
			}
		}
		post.setEntity(new ByteArrayEntity(body, JSON));
		return post;
	}

	private HttpGet get(UpstreamCredential credential) {
		HttpGet get = new HttpGet(target.endpoint());
		applyHeaders(get, credential);
		get.setHeader("Accept", "text/event-stream");
		get.setHeader("MCP-Protocol-Version", protocolVersion);
		if (sessionId != null) {
			get.setHeader("Mcp-Session-Id", sessionId);
		}
		return get;
	}

	private static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}
}
