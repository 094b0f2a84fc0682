package dev.gatehouse.server.access;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

import dev.gatehouse.core.access.Caller;
import dev.gatehouse.core.policy.InvalidPolicyException;
import dev.gatehouse.core.policy.Policy;
import dev.gatehouse.core.policy.PolicyDefinitions;
import dev.gatehouse.core.policy.PolicyEvaluator;
import dev.gatehouse.core.target.FieldError;
import dev.gatehouse.server.audit.AuditTrail;
import dev.gatehouse.server.cluster.ClusterEvents;
import dev.gatehouse.server.config.GatehouseProperties;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.dataformat.yaml.YAMLMapper;

import org.springframework.beans.factory.InitializingBean;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * The access policy in force: the latest version saved through the admin API, else the policy file
 * ({@code gatehouse.access.policy-file}), else the open policy (every authenticated caller may use everything,
 * with a warning). Saving a version announces it to every instance; the file is re-read when it changes; both
 * apply without restart. Thread-safe; reads are lock-free.
 */
@Component
public final class PolicyService implements InitializingBean {

	private static final Logger logger = LoggerFactory.getLogger(PolicyService.class);

	static final String EVENT = "policy.changed";

	private final JdbcClient jdbc;

	private final ClusterEvents cluster;

	private final AuditTrail audit;

	private final Clock clock;

	private final @Nullable Path file;

	private final JsonMapper json = JsonMapper.builder().build();

	private final AtomicLong generation = new AtomicLong();

	private volatile Current current = new Current(new PolicyEvaluator(Policy.openPolicy()), 0, "open", 0);

	private volatile @Nullable FileTime fileTime;

	/**
	 * The policy in force.
	 *
	 * @param evaluator decides with it
	 * @param version the saved version (0 when it comes from the file or is the open policy)
	 * @param source {@code api}, {@code file} or {@code open}
	 * @param generation increases on every change, whatever the source (for caches)
	 */
	public record Current(PolicyEvaluator evaluator, long version, String source, long generation) {
	}

	/** A saved version. */
	public record Version(long version, Instant createdAt, String createdBy, @Nullable String comment) {
	}

	PolicyService(JdbcClient jdbc, ClusterEvents cluster, AuditTrail audit, Clock clock,
			GatehouseProperties properties) {
		this.jdbc = jdbc;
		this.cluster = cluster;
		this.audit = audit;
		this.clock = clock;
		this.file = properties.access().policyFile();
	}

	@Override
	public void afterPropertiesSet() {
		cluster.subscribe(EVENT, (payload) -> reload());
		reload();
	}

	public Current current() {
		return current;
	}

	/**
	 * Validates and saves a new version, which is in force on every instance at once.
	 * @throws InvalidPolicyException naming every field at fault; nothing is saved
	 */
	public Current save(JsonNode document, Caller by, @Nullable String comment) {
		Policy policy = PolicyDefinitions.parse(document);
		long version = jdbc.sql("select coalesce(max(version), 0) + 1 from access_policy").query(Long.class).single();
		jdbc.sql("insert into access_policy (version, document, created_at, created_by, comment) values (?, ?, ?, ?, ?)")
			.params(version, json.writeValueAsString(PolicyDefinitions.toJson(policy)), Timestamp.from(clock.instant()),
					by.issuer() + " " + by.subject(), comment)
			.update();
		audit.event("policy_changed", Map.of("version", version, "by_issuer", by.issuer(), "by_subject", by.subject(),
				"mode", policy.mode().key(), "rules", policy.rules().size()));
		cluster.publish(EVENT, JsonNodeFactory.instance.objectNode().put("version", version));
		return current;
	}

	public List<Version> versions() {
		return jdbc.sql("select version, created_at, created_by, comment from access_policy order by version desc")
			.query((rs, n) -> new Version(rs.getLong(1), rs.getTimestamp(2).toInstant(), rs.getString(3),
					rs.getString(4)))
			.list();
	}

	public Optional<JsonNode> document(long version) {
		return jdbc.sql("select document from access_policy where version = ?")
			.param(version)
			.query(String.class)
			.optional()
			.map(json::readTree);
	}

	@Scheduled(fixedDelay = 5_000, initialDelay = 5_000)
	void checkFile() {
		if (file != null && current.version() == 0) {
			try {
				FileTime modified = Files.getLastModifiedTime(file);
				if (!modified.equals(fileTime)) {
					reload();
				}
			}
			catch (IOException | RuntimeException ex) {
				logger.error("The policy file {} was not applied: {}", file, ex.getMessage());
			}
		}
	}

	private synchronized void reload() {
		Optional<Saved> saved = jdbc
			.sql("select version, document from access_policy order by version desc limit 1")
			.query((rs, n) -> new Saved(rs.getLong(1), rs.getString(2)))
			.optional();
		if (saved.isPresent()) {
			Policy policy = PolicyDefinitions.parse(json.readTree(saved.get().document()));
			install(policy, saved.get().version(), "api");
			return;
		}
		if (file != null) {
			install(readFile(file), 0, "file");
			return;
		}
		if (!current.source().equals("open") || current.generation() == 0) {
			logger.warn("No access policy is configured (gatehouse.access.policy-file or PUT /admin/api/policy): "
					+ "every authenticated caller may use every tool of every target");
		}
		install(Policy.openPolicy(), 0, "open");
	}

	private Policy readFile(Path path) {
		try {
			FileTime modified = Files.getLastModifiedTime(path);
			String text = Files.readString(path);
			String name = path.getFileName().toString().toLowerCase(Locale.ROOT);
			JsonNode document = (name.endsWith(".yaml") || name.endsWith(".yml")) ? new YAMLMapper().readTree(text)
					: json.readTree(text);
			Policy policy = PolicyDefinitions.parse(document);
			fileTime = modified;
			return policy;
		}
		catch (IOException ex) {
			throw new InvalidPolicyException(List.of(new FieldError("$",
					"the policy file " + path + " cannot be read (" + ex.getClass().getSimpleName() + ")")));
		}
		catch (JacksonException ex) {
			throw new InvalidPolicyException(List.of(new FieldError("$",
					"the policy file " + path + " is not valid JSON or YAML: " + ex.getOriginalMessage())));
		}
	}

	private void install(Policy policy, long version, String source) {
		current = new Current(new PolicyEvaluator(policy), version, source, generation.incrementAndGet());
		logger.info("Access policy in force: {} (version {}, mode {}, {} rules)", source, version, policy.mode().key(),
				policy.rules().size());
	}

	private record Saved(long version, String document) {
	}
}
