package dev.gatehouse.server.catalog;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.gatehouse.core.access.Caller;
import dev.gatehouse.core.audit.ArgumentsDigest;
import dev.gatehouse.core.jsonrpc.JsonRpcResponse;
import dev.gatehouse.core.target.Target;
import dev.gatehouse.core.target.TargetAuth;
import dev.gatehouse.server.audit.AuditTrail;
import dev.gatehouse.server.config.GatehouseProperties;
import dev.gatehouse.server.credentials.CredentialResolver;
import dev.gatehouse.server.credentials.UpstreamCredential;
import dev.gatehouse.server.upstream.CancellationSignal;
import dev.gatehouse.server.upstream.TargetInfo;
import dev.gatehouse.server.upstream.UpstreamCall;
import dev.gatehouse.server.upstream.UpstreamClient;
import dev.gatehouse.server.upstream.UpstreamException;
import dev.gatehouse.server.upstream.UpstreamListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Reads what one target offers and stores it, recording every definition that changed since the last
 * synchronisation ("rug pull" detection). Updates are conditional on the previous hash, so when two instances
 * synchronise the same target only one records the change.
 */
@Component
class CatalogSynchronizer {

	private static final Logger logger = LoggerFactory.getLogger(CatalogSynchronizer.class);

	/** The identity the gateway uses for its own calls to shared-credential targets. */
	static final Caller SYSTEM = new Caller("gatehouse", "catalog-sync", null, Set.of(), Set.of());

	private final UpstreamClient upstream;

	private final CredentialResolver credentials;

	private final CatalogRepository repository;

	private final TransactionTemplate transactions;

	private final AuditTrail audit;

	private final Clock clock;

	private final GatehouseProperties.Catalog properties;

	CatalogSynchronizer(UpstreamClient upstream, CredentialResolver credentials, CatalogRepository repository,
			TransactionTemplate transactions, AuditTrail audit, Clock clock, GatehouseProperties properties) {
		this.upstream = upstream;
		this.credentials = credentials;
		this.repository = repository;
		this.transactions = transactions;
		this.audit = audit;
		this.clock = clock;
		this.properties = properties.catalog();
	}

	/**
	 * Synchronises one target.
	 * @return whether anything an agent sees changed
	 */
	boolean sync(Target target) {
		Instant started = clock.instant();
		try {
			java.util.Optional<UpstreamCredential> credential = credentials.forCatalog(SYSTEM, target);
			if (credential.isEmpty()) {
				repository.recordSync(target.name(), "pending", "its tools are read with a user's authorization: "
						+ "waiting for the first user to connect it", started);
				return false;
			}
			Map<EntryKind, List<ObjectNode>> offered = read(target, credential.get(), started.plus(properties.syncTimeout()));
			boolean changed = Boolean.TRUE.equals(transactions.execute((tx) -> store(target, offered)));
			repository.recordSync(target.name(), "ok", null, clock.instant());
			return changed;
		}
		catch (UpstreamException | dev.gatehouse.server.credentials.CredentialUnavailableException
				| dev.gatehouse.server.credentials.AuthorizationUnavailableException
				| dev.gatehouse.server.credentials.ConsentRequiredException ex) {
			logger.warn("Synchronising target '{}' failed: {}", target.name(), ex.getMessage());
			repository.recordSync(target.name(), "failed", truncate(ex.getMessage()), clock.instant());
			return false;
		}
	}

	private Map<EntryKind, List<ObjectNode>> read(Target target, UpstreamCredential credential, Instant deadline) {
		TargetInfo info = upstream.info(target, credential);
		Map<EntryKind, List<ObjectNode>> offered = new HashMap<>();
		for (EntryKind kind : EntryKind.values()) {
			offered.put(kind, info.has(kind.capability()) ? listAll(target, credential, kind, deadline) : List.of());
		}
		return offered;
	}

	private List<ObjectNode> listAll(Target target, UpstreamCredential credential, EntryKind kind, Instant deadline) {
		List<ObjectNode> items = new ArrayList<>();
		Set<String> seen = new HashSet<>();
		String cursor = null;
		for (int page = 0; page < properties.maxPages(); page++) {
			ObjectNode params = JsonNodeFactory.instance.objectNode();
			if (cursor != null) {
				params.put("cursor", cursor);
			}
			Duration left = Duration.between(clock.instant(), deadline);
			if (left.isNegative() || left.isZero()) {
				throw new UpstreamException(UpstreamException.Kind.TIMEOUT, target.name(),
						"target '" + target.name() + "' did not list its " + kind.arrayKey() + " within "
								+ properties.syncTimeout().toSeconds() + "s");
			}
			JsonRpcResponse response = upstream.request(new UpstreamCall(target, credential, kind.listMethod(), params,
					null, left, deadline, UpstreamListener.NONE, new CancellationSignal()));
			if (response.isError()) {
				if (kind != EntryKind.TOOL && response.error().code() == -32601) {
					return items;
				}
				throw new UpstreamException(UpstreamException.Kind.PROTOCOL, target.name(), "target '" + target.name()
						+ "' refused " + kind.listMethod() + ": " + response.error().message());
			}
			JsonNode result = response.result();
			JsonNode array = result.get(kind.arrayKey());
			if (array == null || !array.isArray()) {
				throw new UpstreamException(UpstreamException.Kind.PROTOCOL, target.name(), "target '" + target.name()
						+ "' answered " + kind.listMethod() + " without a '" + kind.arrayKey() + "' array");
			}
			for (JsonNode item : array) {
				JsonNode name = item.get(kind.nameKey());
				if (item instanceof ObjectNode object && name != null && name.isString() && !name.stringValue().isEmpty()
						&& seen.add(name.stringValue())) {
					items.add(object);
				}
			}
			JsonNode next = result.get("nextCursor");
			if (next == null || !next.isString()) {
				return items;
			}
			cursor = next.stringValue();
		}
		logger.warn("Target '{}' offered more than {} pages of {}; the rest is ignored", target.name(),
				properties.maxPages(), kind.arrayKey());
		return items;
	}

	private boolean store(Target target, Map<EntryKind, List<ObjectNode>> offered) {
		Instant now = clock.instant();
		Map<String, CatalogEntry> before = new HashMap<>();
		for (CatalogEntry entry : repository.findByTarget(target.name())) {
			before.put(entry.kind().id() + "\u0000" + entry.name(), entry);
		}
		boolean firstSync = repository.syncStatus(target.name()).map((s) -> s.syncedAt() == null).orElse(true);
		Set<EntryKind> changedKinds = EnumSet.noneOf(EntryKind.class);
		for (Map.Entry<EntryKind, List<ObjectNode>> kindItems : offered.entrySet()) {
			EntryKind kind = kindItems.getKey();
			for (ObjectNode item : kindItems.getValue()) {
				String name = item.get(kind.nameKey()).stringValue();
				String hash = ArgumentsDigest.sha256Hex(ArgumentsDigest.canonical(item));
				CatalogEntry old = before.remove(kind.id() + "\u0000" + name);
				if (old == null) {
					boolean inserted = repository.insert(new CatalogEntry(target.name(), kind, name, item, hash, now, now));
					changedKinds.add(kind);
					if (inserted && !firstSync) {
						drift(target, kind, name, "added", null, item, hash, now);
					}
				}
				else if (!old.hash().equals(hash)) {
					CatalogEntry next = new CatalogEntry(target.name(), kind, name, item, hash, old.firstSeen(), now);
					changedKinds.add(kind);
					if (repository.replace(next, old.hash())) {
						drift(target, kind, name, "changed", old, item, hash, now);
					}
				}
			}
		}
		for (CatalogEntry gone : before.values()) {
			changedKinds.add(gone.kind());
			if (repository.delete(gone)) {
				drift(target, gone.kind(), gone.name(), "removed", gone, null, null, now);
			}
		}
		return !changedKinds.isEmpty();
	}

	private void drift(Target target, EntryKind kind, String name, String change, CatalogEntry old, ObjectNode item,
			String hash, Instant now) {
		CatalogEntry after = (item != null) ? new CatalogEntry(target.name(), kind, name, item, hash, now, now) : null;
		repository.recordDrift(target.name(), kind, name, change, old, after, now);
		if (kind == EntryKind.TOOL && "changed".equals(change)) {
			logger.warn("The definition of tool '{}' of target '{}' changed since the last synchronisation "
					+ "(old {}, new {}); review it: GET /admin/api/catalog/drift?target={}", name, target.name(),
					old.hash().substring(0, 12), hash.substring(0, 12), target.name());
		}
		Map<String, Object> fields = new HashMap<>();
		fields.put("target", target.name());
		fields.put("kind", kind.id());
		fields.put("name", name);
		fields.put("change", change);
		if (old != null) {
			fields.put("old_hash", old.hash());
		}
		if (hash != null) {
			fields.put("new_hash", hash);
		}
		audit.event("catalog_drift", fields);
	}

	private static String truncate(String message) {
		return (message.length() > 1000) ? message.substring(0, 1000) : message;
	}
}
