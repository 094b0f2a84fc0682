package dev.gatehouse.server.upstream;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.locks.ReentrantLock;

import dev.gatehouse.core.jsonrpc.JsonRpcCodec;
import dev.gatehouse.core.jsonrpc.JsonRpcNotification;
import dev.gatehouse.core.jsonrpc.JsonRpcResponse;
import dev.gatehouse.core.target.Target;
import dev.gatehouse.server.config.GatehouseProperties;
import dev.gatehouse.server.config.GatehouseVersion;
import dev.gatehouse.server.config.Threads;
import dev.gatehouse.server.credentials.UpstreamCredential;
import dev.gatehouse.server.monitor.Tracing;
import dev.gatehouse.server.upstream.UpstreamSession.SessionExpiredException;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Scope;
import jakarta.annotation.PreDestroy;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.stereotype.Component;

/**
 * The gateway's MCP client for targets. Sessions are opened on first use, one per (target, credential scope),
 * shared by every call in that scope, and re-initialised once, transparently, when a target answers 404 for a
 * session it forgot. Thread-safe.
 */
@Component
public final class UpstreamClient {

	private static final Logger logger = LoggerFactory.getLogger(UpstreamClient.class);

	private final UpstreamHttp http;

	private final JsonRpcCodec codec;

	private final Clock clock;

	private final GatehouseProperties.Upstream properties;

	private final int maxResponseBytes;

	private final Map<Key, Holder> sessions = new ConcurrentHashMap<>();

	private final List<TargetNotificationSink> sinks = new CopyOnWriteArrayList<>();

	/**
	 * Each call's deadline. Cancelled timers are removed at once: the deadline is {@code max-call-duration} (15 min)
	 * away, and without removal every finished call's timer, with the request it would cancel (its body and the
	 * target's credential), stayed queued and reachable that long (millions of entries under load).
	 */
	private final ScheduledThreadPoolExecutor timers = Threads.timers("gatehouse-upstream-timer");

	private final ExecutorService background = Threads.perTask("gatehouse-upstream");

	private final Tracing tracing;

	public UpstreamClient(UpstreamHttp http, JsonRpcCodec codec, Clock clock, GatehouseProperties properties,
			Tracing tracing) {
		this.tracing = Objects.requireNonNull(tracing, "tracing must not be null");
		this.http = Objects.requireNonNull(http, "http must not be null");
		this.codec = Objects.requireNonNull(codec, "codec must not be null");
		this.clock = Objects.requireNonNull(clock, "clock must not be null");
		this.properties = properties.upstream();
		this.maxResponseBytes = (int) Math.min(Integer.MAX_VALUE - 8, properties.upstream().maxResponseSize().toBytes());
	}

	/** Registers a receiver of the notifications targets send outside requests. */
	public void addNotificationSink(TargetNotificationSink sink) {
		sinks.add(sink);
	}

	/**
	 * Sends a request to a target and waits for the answer, which may be a JSON-RPC error of the target's.
	 * @throws UpstreamException when the target fails; the message names it
	 */
	public JsonRpcResponse request(UpstreamCall call) {
		Span span = tracing.startUpstream(call.method(), call.target().name(), call.target().endpoint().getHost(),
				port(call.target().endpoint()));
		if (span == null) {
			return send(call);
		}
		try (Scope scope = span.makeCurrent()) {
			return send(call);
		}
		catch (UpstreamException ex) {
			span.setStatus(StatusCode.ERROR, "upstream_" + ex.kind().name().toLowerCase(java.util.Locale.ROOT));
			throw ex;
		}
		finally {
			span.end();
		}
	}

	private static int port(java.net.URI endpoint) {
		if (endpoint.getPort() != -1) {
			return endpoint.getPort();
		}
		return "https".equalsIgnoreCase(endpoint.getScheme()) ? 443 : 80;
	}

	private JsonRpcResponse send(UpstreamCall call) {
		UpstreamSession session = session(call.target(), call.credential(), call.idleTimeout());
		try {
			return session.request(call);
		}
		catch (SessionExpiredException ex) {
			discard(session);
			UpstreamSession fresh = session(call.target(), call.credential(), call.idleTimeout());
			try {
				return fresh.request(call);
			}
			catch (SessionExpiredException again) {
				discard(fresh);
				throw new UpstreamException(UpstreamException.Kind.PROTOCOL, call.target().name(),
						"target '" + call.target().name() + "' rejected a session it had just created");
			}
		}
	}

	/** Sends a notification (such as {@code notifications/cancelled}) on the session of the scope, if open. */
	public void notify(Target target, UpstreamCredential credential, String method, @Nullable ObjectNode params) {
		Holder holder = sessions.get(new Key(target.name(), credential.scope()));
		UpstreamSession session = (holder != null) ? holder.session : null;
		if (session != null && !session.closed) {
			session.notify(new JsonRpcNotification(method, params), credential);
		}
	}

	/**
	 * Delivers an agent's answer to a request the target sent. The session id comes from the origin, so any
	 * gateway instance can deliver it.
	 */
	public void respond(Target target, UpstreamCredential credential, UpstreamRequestOrigin origin,
			JsonRpcResponse answer) {
		Holder holder = sessions.get(new Key(target.name(), credential.scope()));
		UpstreamSession local = (holder != null) ? holder.session : null;
		try {
			if (local != null && !local.closed && Objects.equals(sessionId(local), origin.sessionId())) {
				local.respond(answer, credential);
				return;
			}
			if (origin.legacy()) {
				throw new UpstreamException(UpstreamException.Kind.PROTOCOL, target.name(),
						"the HTTP+SSE session of target '" + target.name() + "' that asked is no longer open here");
			}
			StreamableSession remote = new StreamableSession(target, credential.scope(), http, codec, clock,
					maxResponseBytes, timers, background, (t, s, n) -> {
					}, credential, () -> {
					});
			remote.sessionId = origin.sessionId();
			remote.respond(answer, credential);
		}
		catch (SessionExpiredException ex) {
			throw new UpstreamException(UpstreamException.Kind.PROTOCOL, target.name(),
					"target '" + target.name() + "' no longer knows the session that asked");
		}
	}

	/** Closes every session of a target (it was changed or removed). */
	public void invalidate(String targetName) {
		sessions.entrySet().removeIf((entry) -> {
			if (entry.getKey().target.equals(targetName)) {
				UpstreamSession session = entry.getValue().session;
				if (session != null) {
					session.close();
				}
				return true;
			}
			return false;
		});
	}

	/** What the target said about itself when the session of this scope was opened. */
	public TargetInfo info(Target target, UpstreamCredential credential) {
		UpstreamSession session = session(target, credential, properties.defaultTimeout());
		return new TargetInfo(session.protocolVersion, session.serverCapabilities, session.serverInfo,
				session.instructions, session instanceof LegacySseSession);
	}

	private UpstreamSession session(Target target, UpstreamCredential credential, Duration timeout) {
		Key key = new Key(target.name(), credential.scope());
		Holder holder = sessions.computeIfAbsent(key, (k) -> new Holder());
		UpstreamSession session = holder.session;
		if (usable(session, target)) {
			return session;
		}
		holder.lock.lock();
		try {
			session = holder.session;
			if (usable(session, target)) {
				return session;
			}
			if (session != null) {
				session.close();
			}
			holder.session = open(target, credential, timeout, holder);
			return holder.session;
		}
		finally {
			holder.lock.unlock();
		}
	}

	private static boolean usable(@Nullable UpstreamSession session, Target target) {
		return session != null && !session.closed && session.target.equals(target);
	}

	private UpstreamSession open(Target target, UpstreamCredential credential, Duration timeout, Holder holder) {
		Duration initTimeout = timeout.compareTo(Duration.ofSeconds(30)) > 0 ? Duration.ofSeconds(30) : timeout;
		String version = GatehouseVersion.get();
		StreamableSession[] created = new StreamableSession[1];
		StreamableSession streamable = new StreamableSession(target, credential.scope(), http, codec, clock,
				maxResponseBytes, timers, background, this::dispatch, credential,
				() -> forget(holder, created[0]));
		created[0] = streamable;
		if (streamable.initialize(version, initTimeout)) {
			logger.info("Opened an MCP session with target '{}' (protocol {}, Streamable HTTP)", target.name(),
					streamable.protocolVersion);
			return streamable;
		}
		LegacySseSession[] legacyRef = new LegacySseSession[1];
		LegacySseSession legacy = new LegacySseSession(target, credential.scope(), http, codec, clock,
				maxResponseBytes, background, this::dispatch, credential, () -> forget(holder, legacyRef[0]));
		legacyRef[0] = legacy;
		legacy.initialize(version, initTimeout);
		logger.info("Opened an MCP session with target '{}' (protocol {}, HTTP+SSE 2024-11-05 transport)",
				target.name(), legacy.protocolVersion);
		return legacy;
	}

	private static void forget(Holder holder, @Nullable UpstreamSession session) {
		if (session != null && holder.session == session) {
			holder.session = null;
		}
	}

	private void discard(UpstreamSession session) {
		Holder holder = sessions.get(new Key(session.targetName(), session.scope));
		if (holder != null) {
			forget(holder, session);
		}
		session.closed = true;
	}

	private void dispatch(String target, String scope, JsonRpcNotification notification) {
		for (TargetNotificationSink sink : sinks) {
			try {
				sink.onTargetNotification(target, scope, notification);
			}
			catch (RuntimeException ex) {
				logger.warn("Handling {} from target '{}' failed", notification.method(), target, ex);
			}
		}
	}

	private static @Nullable String sessionId(UpstreamSession session) {
		return (session instanceof StreamableSession s) ? s.sessionId : null;
	}

	@PreDestroy
	void close() {
		sessions.values().forEach((holder) -> {
			UpstreamSession session = holder.session;
			if (session != null) {
				session.close();
			}
		});
		timers.shutdownNow();
		background.shutdown();
	}

	/** Deadlines of calls in flight (a finished call's deadline is removed when it ends). */
	public int pendingTimers() {
		return timers.getQueue().size();
	}

	private record Key(String target, String scope) {
	}

	private static final class Holder {

		final ReentrantLock lock = new ReentrantLock();

		volatile @Nullable UpstreamSession session;

	}
}
