package dev.gatehouse.server.upstream;

import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

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
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * An upstream session over the 2024-11-05 HTTP+SSE transport, for targets that do not speak Streamable HTTP:
 * a GET opens an event stream whose first event names the URL to POST messages to; every answer and
 * notification arrives on that one stream. Answers are matched to requests by id; progress by token; other
 * messages go to the single call in flight, if there is exactly one.
 *
 * @see <a href="https://modelcontextprotocol.io/specification/2024-11-05/basic/transports#http-with-sse">
 * HTTP with SSE (2024-11-05)</a>
 */
final class LegacySseSession extends UpstreamSession {

	private static final Logger logger = LoggerFactory.getLogger(LegacySseSession.class);

	private final ExecutorService background;

	private final TargetNotificationSink sink;

	private final Runnable onExpired;

	private final Map<Long, Pending> pending = new ConcurrentHashMap<>();

	private volatile UpstreamCredential lastCredential;

	private volatile @Nullable URI messageUrl;

	private volatile @Nullable HttpGet stream;

	LegacySseSession(Target target, String scope, UpstreamHttp http, JsonRpcCodec codec, Clock clock,
			int maxResponseBytes, ExecutorService background, TargetNotificationSink sink,
			UpstreamCredential credential, Runnable onExpired) {
		super(target, scope, http, codec, clock, maxResponseBytes);
		this.background = background;
		this.sink = sink;
		this.lastCredential = credential;
		this.onExpired = onExpired;
	}

	/** Opens the event stream, learns the message URL, and runs {@code initialize}. */
	void initialize(String gatewayVersion, Duration timeout) {
		HttpGet get = new HttpGet(target.endpoint());
		applyHeaders(get, lastCredential);
		get.setHeader("Accept", "text/event-stream");
		stream = get;
		ClassicHttpResponse response;
		try {
			response = http.execute(get, Duration.ofMinutes(30));
		}
		catch (IOException ex) {
			throw ioFailure(ex, timeout);
		}
		try {
			if (response.getCode() != 200 || !contentType(response).equals("text/event-stream")) {
				throw protocol("speaks neither Streamable HTTP nor HTTP+SSE (GET answered HTTP " + response.getCode()
						+ " with Content-Type '" + printable(contentType(response)) + "')");
			}
			SseReader reader = new SseReader(response.getEntity().getContent(), maxResponseBytes);
			messageUrl = awaitEndpoint(reader);
			background.execute(() -> readStream(reader, response));
		}
		catch (IOException | RuntimeException ex) {
			closeQuietly(response);
			throw (ex instanceof RuntimeException r) ? r : ioFailure((IOException) ex, timeout);
		}
		UpstreamCall call = new UpstreamCall(target, lastCredential, "initialize",
				initializeParams(gatewayVersion), null, timeout, clock.instant().plus(timeout), UpstreamListener.NONE,
				new CancellationSignal());
		acceptInitializeResult(request(call));
		notify(new JsonRpcNotification("notifications/initialized", null), lastCredential);
	}

	private URI awaitEndpoint(SseReader reader) throws IOException {
		SseEvent event = reader.next();
		if (event == null || !"endpoint".equals(event.event())) {
			throw protocol("did not send the 'endpoint' event first on its HTTP+SSE stream");
		}
		URI url = target.endpoint().resolve(event.data().strip());
		URI base = target.endpoint();
		if (!base.getScheme().equalsIgnoreCase(url.getScheme()) || !base.getHost().equalsIgnoreCase(url.getHost())
				|| base.getPort() != url.getPort()) {
			throw protocol("named a message endpoint on another origin, which the gateway refuses");
		}
		return url;
	}

	@Override
	JsonRpcResponse request(UpstreamCall call) {
		lastCredential = call.credential();
		long id = nextId();
		String upstreamToken = "gh-" + id;
		Pending wait = new Pending(call, upstreamToken, clock);
		pending.put(id, wait);
		Runnable abort = () -> wait.answer.completeExceptionally(new UpstreamException(
				UpstreamException.Kind.CANCELLED, targetName(), "the call to target '" + targetName() + "' was cancelled"));
		call.cancellation().onCancel(abort);
		try {
			JsonRpcRequest request = new JsonRpcRequest(JsonRpcId.of(id), call.method(),
					withProgressToken(call.params(), upstreamToken, call.agentProgressToken()));
			post(codec.write(request), call.credential(), call.idleTimeout());
			return await(wait, call, id);
		}
		finally {
			pending.remove(id);
			call.cancellation().remove(abort);
		}
	}

	private JsonRpcResponse await(Pending wait, UpstreamCall call, long id) {
		while (true) {
			Instant now = clock.instant();
			Instant idleEnd = wait.lastActivity().plus(call.idleTimeout());
			Instant end = idleEnd.isBefore(call.deadline()) ? idleEnd : call.deadline();
			long millis = Duration.between(now, end).toMillis();
			if (millis <= 0) {
				cancelUpstream(id);
				throw new UpstreamException(UpstreamException.Kind.TIMEOUT, targetName(), "target '" + targetName()
						+ "' did not answer within " + format(call.idleTimeout()));
			}
			try {
				return wait.answer.get(millis, TimeUnit.MILLISECONDS);
			}
			catch (TimeoutException ex) {
				// loop: activity may have extended the wait
			}
			catch (ExecutionException ex) {
				if (ex.getCause() instanceof UpstreamException failure) {
					if (failure.kind() == UpstreamException.Kind.CANCELLED) {
						cancelUpstream(id);
					}
					throw failure;
				}
				throw protocol("failed: " + ex.getCause());
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new UpstreamException(UpstreamException.Kind.CANCELLED, targetName(), "interrupted");
			}
		}
	}

	private void post(byte[] body, UpstreamCredential credential, Duration timeout) {
		URI url = messageUrl;
		if (closed || url == null) {
			throw new UpstreamException(UpstreamException.Kind.UNREACHABLE, targetName(),
					"target '" + targetName() + "' closed its HTTP+SSE session");
		}
		HttpPost post = new HttpPost(url);
		applyHeaders(post, credential);
		post.setHeader("Accept", "application/json, text/event-stream");
		post.setEntity(new ByteArrayEntity(body, ContentType.APPLICATION_JSON));
		try (ClassicHttpResponse response = http.execute(post, timeout)) {
			EntityUtils.consumeQuietly(response.getEntity());
			int status = response.getCode();
			if (status == 401 || status == 403) {
				throw new UpstreamException(UpstreamException.Kind.UNAUTHORIZED, targetName(), status,
						"target '" + targetName() + "' refused the gateway's credential (HTTP " + status + ")", null);
			}
			if (status == 404) {
				expire();
				throw new UpstreamException(UpstreamException.Kind.UNREACHABLE, targetName(), status,
						"target '" + targetName() + "' no longer knows the HTTP+SSE session", null);
			}
			if (status >= 300) {
				throw new UpstreamException(UpstreamException.Kind.HTTP_STATUS, targetName(), status,
						"target '" + targetName() + "' answered HTTP " + status, null);
			}
		}
		catch (IOException ex) {
			throw ioFailure(ex, timeout);
		}
	}

	private void readStream(SseReader reader, ClassicHttpResponse response) {
		try {
			SseEvent event;
			while (!closed && (event = reader.next()) != null) {
				if (event.isMessage() && !event.data().isBlank()) {
					route(parseMessage(event.data()));
				}
			}
		}
		catch (IOException | RuntimeException ex) {
			logger.debug("The HTTP+SSE stream of target '{}' ended: {}", targetName(), ex.getMessage());
		}
		finally {
			closeQuietly(response);
			expire();
		}
	}

	private void route(JsonRpcMessage message) {
		if (message instanceof JsonRpcResponse answer) {
			Pending wait = (answer.id() != null && answer.id().value() instanceof Long id) ? pending.get(id) : null;
			if (wait != null) {
				wait.answer.complete(answer);
			}
		}
		else if (message instanceof JsonRpcNotification notification) {
			routeNotification(notification);
		}
		else {
			JsonRpcRequest request = (JsonRpcRequest) message;
			Pending only = onlyPending();
			if (request.method().equals("ping") || only == null) {
				answerQuietly(request);
			}
			else {
				only.touch();
				only.call.listener().onRequest(request, origin());
			}
		}
	}

	private void routeNotification(JsonRpcNotification notification) {
		if (notification.method().equals("notifications/progress")) {
			for (Pending wait : pending.values()) {
				JsonRpcNotification mapped = mapProgress(notification, wait.upstreamToken, wait.call.agentProgressToken());
				if (mapped != null) {
					wait.touch();
					wait.call.listener().onNotification(mapped);
					return;
				}
			}
			return;
		}
		Pending only = onlyPending();
		if (notification.method().equals("notifications/message") && only != null) {
			only.touch();
			only.call.listener().onNotification(notification);
		}
		else {
			sink.onTargetNotification(targetName(), scope, notification);
		}
	}

	private @Nullable Pending onlyPending() {
		return (pending.size() == 1) ? pending.values().iterator().next() : null;
	}

	private void answerQuietly(JsonRpcRequest request) {
		JsonRpcResponse answer = request.method().equals("ping")
				? JsonRpcResponse.result(request.id(), JsonNodeFactory.instance.objectNode())
				: JsonRpcResponse.error(request.id(), new JsonRpcError(JsonRpcErrorCode.METHOD_NOT_FOUND.code(),
						"The gateway relays requests only while exactly one call is in progress", null));
		background.execute(() -> {
			try {
				respond(answer, lastCredential);
			}
			catch (RuntimeException ex) {
				logger.debug("Could not answer a request of target '{}'", targetName());
			}
		});
	}

	private void cancelUpstream(long id) {
		ObjectNode params = JsonNodeFactory.instance.objectNode();
		params.put("requestId", id);
		params.put("reason", "cancelled at the gateway");
		UpstreamCredential credential = lastCredential;
		background.execute(() -> notify(new JsonRpcNotification("notifications/cancelled", params), credential));
	}

	@Override
	void notify(JsonRpcNotification notification, UpstreamCredential credential) {
		try {
			post(codec.write(notification), credential, Duration.ofSeconds(10));
		}
		catch (UpstreamException ex) {
			logger.debug("Could not send {} to target '{}': {}", notification.method(), targetName(), ex.getMessage());
		}
	}

	@Override
	void respond(JsonRpcResponse answer, UpstreamCredential credential) {
		post(codec.write(answer), credential, Duration.ofSeconds(30));
	}

	@Override
	UpstreamRequestOrigin origin() {
		return new UpstreamRequestOrigin(targetName(), scope, null, true);
	}

	private void expire() {
		if (!closed) {
			closed = true;
			UpstreamException gone = new UpstreamException(UpstreamException.Kind.UNREACHABLE, targetName(),
					"target '" + targetName() + "' closed its HTTP+SSE stream before answering");
			pending.values().forEach((wait) -> wait.answer.completeExceptionally(gone));
			onExpired.run();
		}
	}

	@Override
	void close() {
		closed = true;
		HttpGet get = stream;
		if (get != null) {
			get.cancel();
		}
	}

	private static void closeQuietly(ClassicHttpResponse response) {
		try {
			response.close();
		}
		catch (IOException ex) {
			// nothing to do
		}
	}

	/** A request waiting for its answer on the event stream. */
	private static final class Pending {

		final UpstreamCall call;

		final String upstreamToken;

		final CompletableFuture<JsonRpcResponse> answer = new CompletableFuture<>();

		private final Clock clock;

		private final AtomicLong lastActivityMillis;

		Pending(UpstreamCall call, String upstreamToken, Clock clock) {
			this.call = call;
			this.upstreamToken = upstreamToken;
			this.clock = clock;
			this.lastActivityMillis = new AtomicLong(clock.millis());
		}

		void touch() {
			lastActivityMillis.set(clock.millis());
		}

		Instant lastActivity() {
			return Instant.ofEpochMilli(lastActivityMillis.get());
		}
	}
}
