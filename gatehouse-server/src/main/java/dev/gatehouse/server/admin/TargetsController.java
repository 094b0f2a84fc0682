package dev.gatehouse.server.admin;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import dev.gatehouse.core.jsonrpc.JsonRpcCodec;
import dev.gatehouse.core.jsonrpc.JsonRpcException;
import dev.gatehouse.core.secret.Secret;
import dev.gatehouse.core.secret.SecretRef;
import dev.gatehouse.core.target.Target;
import dev.gatehouse.core.target.TargetAuth;
import dev.gatehouse.core.target.TargetDefinitions;
import dev.gatehouse.server.credentials.ClientSecrets;
import dev.gatehouse.server.credentials.Grants;
import dev.gatehouse.server.catalog.Catalog;
import dev.gatehouse.server.catalog.EntryKind;
import dev.gatehouse.server.catalog.StoredTarget;
import dev.gatehouse.server.catalog.SyncStatus;
import dev.gatehouse.server.catalog.TargetRegistry;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * {@code /admin/api/targets}: the registry of targets. Bodies are targets in the registry schema; responses
 * carry definitions with secret references only, never secret values. {@code ETag} is the revision, and
 * {@code If-Match} makes an update conditional.
 */
@RestController
@RequestMapping("/admin/api/targets")
class TargetsController {

	private final TargetRegistry registry;

	private final Catalog catalog;

	private final JsonRpcCodec codec;

	private final ClientSecrets clientSecrets;

	private final Grants grants;

	private final TransactionTemplate transactions;

	TargetsController(TargetRegistry registry, Catalog catalog, JsonRpcCodec codec, ClientSecrets clientSecrets,
			Grants grants, TransactionTemplate transactions) {
		this.registry = registry;
		this.catalog = catalog;
		this.codec = codec;
		this.clientSecrets = clientSecrets;
		this.grants = grants;
		this.transactions = transactions;
	}

	@GetMapping(produces = MediaType.APPLICATION_JSON_VALUE)
	List<ObjectNode> list() {
		return registry.all().stream().map((t) -> TargetDefinitions.toJson(t.target())).toList();
	}

	@GetMapping(path = "/{name}", produces = MediaType.APPLICATION_JSON_VALUE)
	ResponseEntity<ObjectNode> get(@PathVariable String name) {
		StoredTarget stored = registry.get(name);
		return ResponseEntity.ok().eTag(etag(stored)).body(TargetDefinitions.toJson(stored.target()));
	}

	@PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE, produces = MediaType.APPLICATION_JSON_VALUE)
	ResponseEntity<ObjectNode> create(@RequestBody byte[] body) {
		JsonNode definition = parse(body);
		Secret literal = takeLiteralClientSecret(definition);
		StoredTarget stored = Objects.requireNonNull(transactions.execute((tx) -> {
			StoredTarget created = registry.create(definition);
			if (literal != null) {
				clientSecrets.store(created.name(), literal);
			}
			return created;
		}));
		return ResponseEntity.created(URI.create("/admin/api/targets/" + stored.name()))
			.eTag(etag(stored))
			.body(TargetDefinitions.toJson(stored.target()));
	}

	@PutMapping(path = "/{name}", consumes = MediaType.APPLICATION_JSON_VALUE,
			produces = MediaType.APPLICATION_JSON_VALUE)
	ResponseEntity<ObjectNode> update(@PathVariable String name, @RequestBody byte[] body,
			@RequestHeader(name = "If-Match", required = false) @Nullable String ifMatch) {
		if (ifMatch != null) {
			StoredTarget current = registry.get(name);
			if (!ifMatch.strip().equals(etag(current)) && !ifMatch.strip().equals("*")) {
				throw new PreconditionFailedException("target '" + name + "' is at revision " + current.revision()
						+ ", not the one in If-Match");
			}
		}
		JsonNode definition = parse(body);
		Secret literal = takeLiteralClientSecret(definition);
		StoredTarget stored = Objects.requireNonNull(transactions.execute((tx) -> {
			StoredTarget updated = registry.update(name, definition);
			if (literal != null) {
				clientSecrets.store(name, literal);
			}
			return updated;
		}));
		return ResponseEntity.ok().eTag(etag(stored)).body(TargetDefinitions.toJson(stored.target()));
	}

	/**
	 * Removes a target. Its grants are revoked first (at the authorization server too, while its configuration is
	 * still known), and the client secrets the vault held for it are dropped.
	 */
	@DeleteMapping("/{name}")
	ResponseEntity<Void> delete(@PathVariable String name) {
		registry.get(name);
		grants.revokeTarget(name, GrantsController.actor());
		registry.delete(name);
		clientSecrets.forget(name);
		return ResponseEntity.noContent().build();
	}

	/**
	 * Sets the client secret the vault holds for a target whose {@code auth.clientSecret} is
	 * {@code vault:client-secret}, replacing it at once. Body: {@code {"secret": "…"}}.
	 */
	@PutMapping(path = "/{name}/client-secret", consumes = MediaType.APPLICATION_JSON_VALUE)
	ResponseEntity<Void> setClientSecret(@PathVariable String name, @RequestBody byte[] body) {
		Target target = vaultHeld(name);
		clientSecrets.store(target.name(), secretOf(body));
		return ResponseEntity.noContent().build();
	}

	/**
	 * Rotates a vault-held client secret without downtime: the new one is used first, the previous one is still
	 * tried when the authorization server refuses the new one, until the grace period ends. Body:
	 * {@code {"secret": "…"}}.
	 */
	@PostMapping(path = "/{name}/client-secret/rotate", consumes = MediaType.APPLICATION_JSON_VALUE,
			produces = MediaType.APPLICATION_JSON_VALUE)
	Map<String, Object> rotateClientSecret(@PathVariable String name, @RequestBody byte[] body) {
		Target target = vaultHeld(name);
		java.time.Instant until = clientSecrets.rotate(target, secretOf(body));
		return Map.of("target", name, "previousSecretValidUntil", until.toString());
	}

	/** Ends a rotation's grace period now: the previous client secret is forgotten. */
	@DeleteMapping("/{name}/client-secret/previous")
	ResponseEntity<Void> dropPreviousClientSecret(@PathVariable String name) {
		vaultHeld(name);
		clientSecrets.dropPrevious(name);
		return ResponseEntity.noContent().build();
	}

	private Target vaultHeld(String name) {
		Target target = registry.get(name).target();
		SecretRef ref = (target.auth() instanceof TargetAuth.OAuth2 oauth) ? oauth.clientSecret() : null;
		if (ref == null || ref.kind() != SecretRef.Kind.VAULT) {
			throw new ConflictException("target '" + name + "' does not keep its client secret in the vault"
					+ ((ref != null) ? " (it reads " + ref + "; change it there)" : "")
					+ "; give auth.clientSecret as a value in the target definition to let the vault hold it");
		}
		return target;
	}

	private Secret secretOf(byte[] body) {
		JsonNode json = parse(body);
		JsonNode secret = json.get("secret");
		if (!json.isObject() || secret == null || !secret.isString() || secret.stringValue().isEmpty()) {
			throw new BadRequestException("secret", "the body must be {\"secret\": \"…\"} with a non-empty string");
		}
		if (secret.stringValue().length() > 4096) {
			throw new BadRequestException("secret", "must be at most 4096 characters");
		}
		return Secret.of(secret.stringValue());
	}

	/**
	 * A client secret given as a value (not {@code env:} or {@code file:}) is sealed in the vault instead of being
	 * stored in the definition, which then refers to it as {@code vault:client-secret}.
	 */
	private static @Nullable Secret takeLiteralClientSecret(JsonNode definition) {
		JsonNode auth = definition.get("auth");
		if (!(auth instanceof ObjectNode authObject) || !"oauth2".equals(authObject.path("type").asString(""))) {
			return null;
		}
		JsonNode secret = authObject.get("clientSecret");
		if (secret == null || !secret.isString() || secret.stringValue().isEmpty()) {
			return null;
		}
		try {
			if (SecretRef.parse(secret.stringValue()).isPresent()) {
				return null;
			}
		}
		catch (IllegalArgumentException ex) {
			return null;
		}
		if (secret.stringValue().length() > 4096) {
			throw new BadRequestException("auth.clientSecret", "must be at most 4096 characters");
		}
		authObject.put("clientSecret", ClientSecrets.vaultReference());
		return Secret.of(secret.stringValue());
	}

	/** Synchronises the target's catalog now and returns how it went. */
	@PostMapping(path = "/{name}/sync", produces = MediaType.APPLICATION_JSON_VALUE)
	Map<String, Object> sync(@PathVariable String name) {
		return status(name, catalog.syncNow(name));
	}

	/** Where the target comes from, its revision, and its last synchronisation. */
	@GetMapping(path = "/{name}/status", produces = MediaType.APPLICATION_JSON_VALUE)
	Map<String, Object> status(@PathVariable String name) {
		return status(name, catalog.status(name).orElse(null));
	}

	private Map<String, Object> status(String name, @Nullable SyncStatus sync) {
		StoredTarget stored = registry.get(name);
		Map<String, Object> status = new LinkedHashMap<>();
		status.put("name", name);
		status.put("source", stored.source());
		status.put("revision", stored.revision());
		status.put("enabled", stored.target().enabled());
		status.put("createdAt", stored.createdAt().toString());
		status.put("updatedAt", stored.updatedAt().toString());
		if (sync != null) {
			Map<String, Object> s = new LinkedHashMap<>();
			s.put("status", sync.status());
			if (sync.message() != null) {
				s.put("message", sync.message());
			}
			if (sync.syncedAt() != null) {
				s.put("syncedAt", sync.syncedAt().toString());
			}
			s.put("attemptedAt", sync.attemptedAt().toString());
			status.put("sync", s);
		}
		Map<String, Integer> counts = new LinkedHashMap<>();
		for (EntryKind kind : EntryKind.values()) {
			counts.put(kind.arrayKey(), catalog.snapshot().ofTarget(kind, name).size());
		}
		status.put("exposed", counts);
		return status;
	}

	private JsonNode parse(byte[] body) {
		try {
			return codec.parseJson(body);
		}
		catch (JsonRpcException ex) {
			throw new MalformedBodyException(ex.getMessage().replace("Parse error: ", ""));
		}
	}

	private static String etag(StoredTarget stored) {
		return "\"" + stored.revision() + "\"";
	}
}
