package dev.gatehouse.server.catalog;

import java.time.Clock;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;

import dev.gatehouse.core.jsonrpc.JsonRpcNotification;
import dev.gatehouse.core.mcp.ExposedNames;
import dev.gatehouse.core.target.Target;
import dev.gatehouse.server.cluster.ClusterEvents;
import dev.gatehouse.server.upstream.TargetNotificationSink;
import dev.gatehouse.server.upstream.UpstreamClient;
import jakarta.annotation.PreDestroy;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * The aggregated catalog agents see. It is synchronised with the targets when one is registered or changed,
 * when a target announces {@code list_changed}, every {@code gatehouse.catalog.sync-interval}, and on demand;
 * other instances pick the change up from the database. Reads on the request path are lock-free.
 */
@Component
public final class Catalog implements TargetNotificationSink, SmartInitializingSingleton {

	/** Published by the OAuth broker when a user connects a target (see credentials.AuthorizationFlow). */
	static final String GRANT_CONNECTED = "grant.connected";

	private static final Logger logger = LoggerFactory.getLogger(Catalog.class);

	static final String EVENT = "catalog.changed";

	private final TargetRegistry registry;

	private final CatalogRepository repository;

	private final CatalogSynchronizer synchronizer;

	private final UpstreamClient upstream;

	private final ClusterEvents cluster;

	private final ExposedNames names;

	private final List<CatalogListener> listeners = new CopyOnWriteArrayList<>();

	private final ExecutorService syncs = Executors.newFixedThreadPool(4, (r) -> {
		Thread thread = new Thread(r, "gatehouse-catalog-sync");
		thread.setDaemon(true);
		return thread;
	});

	private final Map<String, Semaphore> running = new ConcurrentHashMap<>();

	private final Set<String> again = ConcurrentHashMap.newKeySet();

	private volatile CatalogSnapshot snapshot = CatalogSnapshot.EMPTY;

	Catalog(TargetRegistry registry, CatalogRepository repository, CatalogSynchronizer synchronizer,
			UpstreamClient upstream, ClusterEvents cluster, ExposedNames names, Clock clock) {
		this.registry = registry;
		this.repository = repository;
		this.synchronizer = synchronizer;
		this.upstream = upstream;
		this.cluster = cluster;
		this.names = names;
	}

	@Override
	public void afterSingletonsInstantiated() {
		upstream.addNotificationSink(this);
		registry.addListener(this::targetsChanged);
		cluster.subscribe(EVENT, (payload) -> rebuild());
		cluster.subscribe(GRANT_CONNECTED, (payload) -> firstGrant(payload.get("target").asString()));
		rebuild();
		registry.all().stream().map(StoredTarget::target).filter(Target::enabled).forEach(this::requestSync);
	}

	/** A user connected a per-user OAuth target: its tools can now be read, if they never were. */
	private void firstGrant(String name) {
		boolean neverSynced = repository.syncStatus(name).map((s) -> s.syncedAt() == null || "pending".equals(s.status()))
			.orElse(true);
		if (neverSynced) {
			registry.find(name).map(StoredTarget::target).ifPresent(this::requestSync);
		}
	}

	/** The current view; never {@code null}. */
	public CatalogSnapshot snapshot() {
		return snapshot;
	}

	public void addListener(CatalogListener listener) {
		listeners.add(listener);
	}

	/** Synchronises a target now and waits; returns its status afterwards. */
	public SyncStatus syncNow(String name) {
		Target target = registry.get(name).target();
		syncOnce(target, true);
		return repository.syncStatus(name).orElseThrow();
	}

	public Optional<SyncStatus> status(String name) {
		return repository.syncStatus(name);
	}

	/** Recorded definition changes, newest first. */
	public List<CatalogDrift> drift(@Nullable String target, int limit) {
		return repository.drift(target, Math.max(1, Math.min(limit, 1000)));
	}

	/**
	 * Queues a synchronisation of the target. One runs at a time per target; a request that arrives while one
	 * runs makes it run once more when it ends, however many arrive.
	 */
	public void requestSync(Target target) {
		if (!target.enabled()) {
			return;
		}
		syncs.execute(() -> syncOnce(target, false));
	}

	private void syncOnce(Target target, boolean wait) {
		Semaphore gate = running.computeIfAbsent(target.name(), (n) -> new Semaphore(1));
		if (wait) {
			gate.acquireUninterruptibly();
		}
		else if (!gate.tryAcquire()) {
			again.add(target.name());
			if (!gate.tryAcquire()) {
				return;
			}
		}
		try {
			do {
				again.remove(target.name());
				Target current = registry.find(target.name()).map(StoredTarget::target).orElse(null);
				if (current == null || !current.enabled()) {
					return;
				}
				if (synchronizer.sync(current)) {
					announce();
				}
			}
			while (again.contains(target.name()));
		}
		finally {
			gate.release();
		}
		if (again.contains(target.name())) {
			// A request arrived between the last check and the release: run it rather than lose it.
			requestSync(target);
		}
	}

	@Scheduled(fixedDelayString = "${gatehouse.catalog.sync-interval:5m}",
			initialDelayString = "${gatehouse.catalog.sync-interval:5m}")
	void syncAll() {
		registry.all().stream().map(StoredTarget::target).filter(Target::enabled).forEach(this::requestSync);
	}

	private void targetsChanged(Set<String> changed) {
		for (String name : changed) {
			upstream.invalidate(name);
			Optional<StoredTarget> stored = registry.find(name);
			if (stored.isEmpty()) {
				repository.deleteTarget(name);
			}
			else {
				requestSync(stored.get().target());
			}
		}
		announce();
	}

	@Override
	public void onTargetNotification(String target, String scope, JsonRpcNotification notification) {
		switch (notification.method()) {
			case "notifications/tools/list_changed", "notifications/prompts/list_changed",
					"notifications/resources/list_changed" -> registry.find(target)
				.map(StoredTarget::target)
				.ifPresent(this::requestSync);
			default -> {
			}
		}
	}

	private void announce() {
		ObjectNode payload = JsonNodeFactory.instance.objectNode();
		cluster.publish(EVENT, payload);
	}

	/** Rebuilds the view from the database and tells listeners what changed. */
	synchronized void rebuild() {
		List<Target> enabled = registry.all().stream().map(StoredTarget::target).filter(Target::enabled).toList();
		CatalogSnapshot next = CatalogSnapshot.build(enabled, repository.findAll(), names);
		CatalogSnapshot previous = snapshot;
		snapshot = next;
		Set<EntryKind> changed = EnumSet.noneOf(EntryKind.class);
		for (EntryKind kind : EntryKind.values()) {
			if (!previous.fingerprint(kind).equals(next.fingerprint(kind))) {
				changed.add(kind == EntryKind.TEMPLATE ? EntryKind.RESOURCE : kind);
			}
		}
		if (!changed.isEmpty()) {
			logger.debug("Catalog changed: {}", changed);
			for (CatalogListener listener : listeners) {
				try {
					listener.onCatalogChanged(changed);
				}
				catch (RuntimeException ex) {
					logger.warn("A catalog listener failed", ex);
				}
			}
		}
	}

	@PreDestroy
	void close() {
		syncs.shutdownNow();
	}
}
