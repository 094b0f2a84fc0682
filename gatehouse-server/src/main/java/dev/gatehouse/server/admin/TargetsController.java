package dev.gatehouse.server.admin;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.gatehouse.core.jsonrpc.JsonRpcCodec;
import dev.gatehouse.core.jsonrpc.JsonRpcException;
import dev.gatehouse.core.target.TargetDefinitions;
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

	TargetsController(TargetRegistry registry, Catalog catalog, JsonRpcCodec codec) {
		this.registry = registry;
		this.catalog = catalog;
		this.codec = codec;
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
		StoredTarget stored = registry.create(parse(body));
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
		StoredTarget stored = registry.update(name, parse(body));
		return ResponseEntity.ok().eTag(etag(stored)).body(TargetDefinitions.toJson(stored.target()));
	}

	@DeleteMapping("/{name}")
	ResponseEntity<Void> delete(@PathVariable String name) {
		registry.delete(name);
		return ResponseEntity.noContent().build();
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
