package dev.gatehouse.server.catalog;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import dev.gatehouse.core.target.InvalidTargetException;
import dev.gatehouse.core.target.Target;
import dev.gatehouse.core.target.TargetDefinitions;
import dev.gatehouse.core.target.UrlRules;
import dev.gatehouse.server.audit.AuditTrail;
import dev.gatehouse.server.cluster.ClusterEvents;
import dev.gatehouse.server.config.GatehouseProperties;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.beans.factory.InitializingBean;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The registry of targets: validated definitions from the targets file and the admin API, persisted, and held
 * in memory for the request path. Targets from the file are read-only through the API; the file is re-read
 * when it changes. Every change is audited and announced to the other instances. Thread-safe.
 */
@Component
public final class TargetRegistry implements InitializingBean {

	private static final Logger logger = LoggerFactory.getLogger(TargetRegistry.class);

	static final String EVENT = "targets.changed";

	private final TargetRepository repository;

	private final UrlRules urls;

	private final Clock clock;

	private final ClusterEvents cluster;

	private final AuditTrail audit;

	private final TransactionTemplate transactions;

	private final @Nullable Path targetsFile;

	private final List<Consumer<Set<String>>> listeners = new CopyOnWriteArrayList<>();

	private volatile Map<String, StoredTarget> targets = Map.of();

	private volatile @Nullable FileTime fileTime;

	TargetRegistry(TargetRepository repository, UrlRules urls, Clock clock, ClusterEvents cluster, AuditTrail audit,
			TransactionTemplate transactions, GatehouseProperties properties) {
		this.repository = repository;
		this.urls = urls;
		this.clock = clock;
		this.cluster = cluster;
		this.audit = audit;
		this.transactions = transactions;
		this.targetsFile = properties.targetsFile();
	}

	@Override
	public void afterPropertiesSet() {
		cluster.subscribe(EVENT, (payload) -> reload(names(payload)));
		if (targetsFile != null) {
			loadFile(true);
		}
		reload(Set.of());
	}

	/** Registers a listener told the names of targets that changed (added, updated or removed). */
	public void addListener(Consumer<Set<String>> listener) {
		listeners.add(listener);
	}

	/** Every registered target, enabled or not, by name. */
	public Collection<StoredTarget> all() {
		return targets.values();
	}

	/** An enabled or disabled target by name. */
	public Optional<StoredTarget> find(String name) {
		return Optional.ofNullable(targets.get(name));
	}

	public StoredTarget get(String name) {
		return find(name).orElseThrow(() -> new TargetNotFoundException(name));
	}

	/**
	 * Registers a target through the API.
	 * @throws InvalidTargetException naming every field at fault
	 * @throws TargetConflictException if the name is taken
	 */
	public StoredTarget create(JsonNode definition) {
		Target target = TargetDefinitions.parse(definition, urls);
		Instant now = clock.instant();
		StoredTarget stored = new StoredTarget(target, StoredTarget.SOURCE_API, 1, now, now);
		transactions.executeWithoutResult((tx) -> {
			if (repository.find(target.name()).isPresent()) {
				throw new TargetConflictException("name", "a target named '" + target.name() + "' already exists");
			}
			repository.insert(stored);
		});
		changed("target_created", target.name(), StoredTarget.SOURCE_API);
		return stored;
	}

	/**
	 * Replaces a target's definition through the API. The definition's {@code name}, if present, must be
	 * {@code name}.
	 */
	public StoredTarget update(String name, JsonNode definition) {
		ObjectNode withName = withName(name, definition);
		Target target = TargetDefinitions.parse(withName, urls);
		StoredTarget saved = transactions.execute((tx) -> {
			StoredTarget existing = repository.find(name).orElseThrow(() -> new TargetNotFoundException(name));
			requireApiManaged(existing);
			StoredTarget next = new StoredTarget(target, StoredTarget.SOURCE_API, existing.revision() + 1,
					existing.createdAt(), clock.instant());
			if (!repository.update(next, existing.revision())) {
				throw new TargetConflictException("name", "target '" + name + "' changed meanwhile; read it again");
			}
			return next;
		});
		changed("target_updated", name, StoredTarget.SOURCE_API);
		return Objects.requireNonNull(saved);
	}

	/** Removes a target registered through the API. */
	public void delete(String name) {
		transactions.executeWithoutResult((tx) -> {
			StoredTarget existing = repository.find(name).orElseThrow(() -> new TargetNotFoundException(name));
			requireApiManaged(existing);
			repository.delete(name);
		});
		changed("target_deleted", name, StoredTarget.SOURCE_API);
	}

	private static ObjectNode withName(String name, JsonNode definition) {
		if (!(definition instanceof ObjectNode object)) {
			throw new InvalidTargetException("$", "a target must be a JSON object");
		}
		JsonNode given = object.get("name");
		if (given != null && !given.isNull() && !(given.isString() && given.stringValue().equals(name))) {
			throw new InvalidTargetException("name",
					"must be '" + name + "' (the name in the URL); a target cannot be renamed");
		}
		ObjectNode copy = object.deepCopy();
		copy.put("name", name);
		return copy;
	}

	private void requireApiManaged(StoredTarget existing) {
		if (StoredTarget.SOURCE_FILE.equals(existing.source())) {
			throw new TargetConflictException("name", "target '" + existing.name()
					+ "' is defined in the targets file " + targetsFile + "; change it there");
		}
	}

	/** Re-reads the targets file when it changed. */
	@Scheduled(fixedDelay = 5_000, initialDelay = 5_000)
	void checkFile() {
		if (targetsFile != null) {
			try {
				loadFile(false);
			}
			catch (RuntimeException ex) {
				logger.error("The targets file {} was not applied: {}", targetsFile, ex.getMessage());
			}
		}
	}

	private synchronized void loadFile(boolean startup) {
		Path file = Objects.requireNonNull(targetsFile);
		FileTime modified;
		try {
			modified = Files.getLastModifiedTime(file);
		}
		catch (IOException ex) {
			throw new InvalidTargetException("targets",
					"the targets file " + file + " cannot be read (" + ex.getClass().getSimpleName() + ")");
		}
		if (!startup && modified.equals(fileTime)) {
			return;
		}
		List<Target> declared = TargetsFile.read(file, urls);
		Set<String> changedNames = transactions.execute((tx) -> applyFile(declared));
		fileTime = modified;
		if (changedNames != null && !changedNames.isEmpty()) {
			logger.info("Applied the targets file {}: {} target(s) changed ({})", file, changedNames.size(),
					changedNames);
			changedNames.forEach((name) -> audit.event("target_changed",
					Map.of("target", name, "source", StoredTarget.SOURCE_FILE)));
			announce(changedNames);
		}
	}

	private Set<String> applyFile(List<Target> declared) {
		Set<String> changedNames = new TreeSet<>();
		Map<String, StoredTarget> existing = new LinkedHashMap<>();
		repository.findAll().forEach((t) -> existing.put(t.name(), t));
		Instant now = clock.instant();
		for (Target target : declared) {
			StoredTarget current = existing.get(target.name());
			if (current == null) {
				repository.insert(new StoredTarget(target, StoredTarget.SOURCE_FILE, 1, now, now));
				changedNames.add(target.name());
			}
			else if (StoredTarget.SOURCE_API.equals(current.source())) {
				logger.error("Target '{}' in the targets file is also registered through the admin API; "
						+ "the admin API's definition is kept. Delete one of them.", target.name());
			}
			else if (!current.target().equals(target)) {
				repository.update(new StoredTarget(target, StoredTarget.SOURCE_FILE, current.revision() + 1,
						current.createdAt(), now), current.revision());
				changedNames.add(target.name());
			}
		}
		Set<String> declaredNames = new TreeSet<>();
		declared.forEach((t) -> declaredNames.add(t.name()));
		for (StoredTarget stored : existing.values()) {
			if (StoredTarget.SOURCE_FILE.equals(stored.source()) && !declaredNames.contains(stored.name())) {
				repository.delete(stored.name());
				changedNames.add(stored.name());
			}
		}
		return changedNames;
	}

	private void changed(String auditType, String name, String source) {
		audit.event(auditType, Map.of("target", name, "source", source));
		announce(Set.of(name));
	}

	private void announce(Set<String> names) {
		ObjectNode payload = JsonNodeFactory.instance.objectNode();
		names.forEach(payload.putArray("names")::add);
		cluster.publish(EVENT, payload);
	}

	private void reload(Set<String> changedNames) {
		Map<String, StoredTarget> next = new LinkedHashMap<>();
		repository.findAll().forEach((t) -> next.put(t.name(), t));
		targets = Map.copyOf(next);
		if (!changedNames.isEmpty()) {
			listeners.forEach((listener) -> listener.accept(changedNames));
		}
	}

	private static Set<String> names(JsonNode payload) {
		Set<String> names = new TreeSet<>();
		JsonNode array = payload.get("names");
		if (array != null) {
			array.forEach((n) -> names.add(n.asString()));
		}
		return names;
	}
}
