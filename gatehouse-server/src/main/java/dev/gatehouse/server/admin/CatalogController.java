package dev.gatehouse.server.admin;

import java.util.List;
import java.util.Map;

import dev.gatehouse.server.catalog.Catalog;
import dev.gatehouse.server.catalog.CatalogDrift;
import dev.gatehouse.server.catalog.EntryKind;
import dev.gatehouse.server.catalog.Exposed;
import org.jspecify.annotations.Nullable;

import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /admin/api/catalog}: what agents see, and the definitions that changed ("rug pull" detection).
 */
@RestController
@RequestMapping(path = "/admin/api/catalog", produces = MediaType.APPLICATION_JSON_VALUE)
class CatalogController {

	private final Catalog catalog;

	CatalogController(Catalog catalog) {
		this.catalog = catalog;
	}

	/** Every exposed tool with the target and upstream name it maps to. */
	@GetMapping("/tools")
	List<Map<String, Object>> tools() {
		return catalog.snapshot()
			.list(EntryKind.TOOL)
			.stream()
			.map((Exposed e) -> Map.<String, Object>of("name", e.exposedName(), "target", e.target(), "upstreamName",
					e.upstreamName(), "definition", e.definition()))
			.toList();
	}

	/** Recorded definition changes, newest first. */
	@GetMapping("/drift")
	List<CatalogDrift> drift(@RequestParam(required = false) @Nullable String target,
			@RequestParam(defaultValue = "100") int limit) {
		return catalog.drift(target, limit);
	}
}
