package dev.gatehouse.server.admin;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.gatehouse.server.monitor.alerts.Alert;
import dev.gatehouse.server.monitor.alerts.AlertStateException;
import dev.gatehouse.server.monitor.alerts.AlertStore;
import dev.gatehouse.server.monitor.alerts.Severity;
import org.jspecify.annotations.Nullable;

import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /admin/api/alerts}: alerts newest first, filtered by status, severity and rule, paginated; acknowledge
 * (someone is on it) and resolve (done: the next occurrence opens a new alert). {@code docs/alerts.md}.
 */
@RestController
@RequestMapping("/admin/api/alerts")
class AlertsController {

	private final AlertStore alerts;

	AlertsController(AlertStore alerts) {
		this.alerts = alerts;
	}

	@GetMapping(produces = MediaType.APPLICATION_JSON_VALUE)
	Map<String, Object> list(@RequestParam(required = false) @Nullable String status,
			@RequestParam(required = false) @Nullable String severity,
			@RequestParam(required = false) @Nullable String rule, @RequestParam(required = false) @Nullable String page,
			@RequestParam(required = false) @Nullable String size) {
		Alert.Status s = (status != null) ? parse("status", status, List.of("open", "acknowledged", "resolved"),
				Alert.Status::of) : null;
		Severity v = (severity != null) ? parse("severity", severity, List.of("low", "medium", "high", "critical"),
				Severity::of) : null;
		String r = (rule != null) ? parse("rule", rule, AlertStore.rules(), (x) -> x) : null;
		int pageSize = number("size", size, 50, 1, 500);
		int pageNumber = number("page", page, 0, 0, 1_000_000);
		long total = alerts.count(s, v, r);
		Map<String, Object> result = new LinkedHashMap<>();
		result.put("alerts", alerts.list(s, v, r, pageNumber * pageSize, pageSize)
			.stream()
			.map(AlertsController::json)
			.toList());
		result.put("page", pageNumber);
		result.put("size", pageSize);
		result.put("total", total);
		return result;
	}

	@GetMapping(path = "/{id}", produces = MediaType.APPLICATION_JSON_VALUE)
	Map<String, Object> get(@PathVariable String id) {
		return alerts.find(id(id)).map(AlertsController::json).orElseThrow(() -> notFound(id));
	}

	@PostMapping(path = "/{id}/acknowledge", produces = MediaType.APPLICATION_JSON_VALUE)
	Map<String, Object> acknowledge(@PathVariable String id) {
		try {
			return alerts.acknowledge(id(id), GrantsController.actor()).map(AlertsController::json)
				.orElseThrow(() -> notFound(id));
		}
		catch (AlertStateException ex) {
			throw new ConflictException(ex.getMessage());
		}
	}

	@PostMapping(path = "/{id}/resolve", produces = MediaType.APPLICATION_JSON_VALUE)
	Map<String, Object> resolve(@PathVariable String id) {
		try {
			return alerts.resolve(id(id), GrantsController.actor()).map(AlertsController::json)
				.orElseThrow(() -> notFound(id));
		}
		catch (AlertStateException ex) {
			throw new ConflictException(ex.getMessage());
		}
	}

	static Map<String, Object> json(Alert a) {
		Map<String, Object> json = new LinkedHashMap<>();
		json.put("id", a.id());
		json.put("rule", a.rule());
		json.put("severity", a.severity().id());
		json.put("scope", a.scopeKey());
		json.put("title", a.title());
		json.put("status", a.status().id());
		json.put("count", a.count());
		json.put("firstSeen", a.firstSeen().toString());
		json.put("lastSeen", a.lastSeen().toString());
		json.put("details", a.details());
		if (a.acknowledgedBy() != null) {
			json.put("acknowledgedBy", a.acknowledgedBy());
			json.put("acknowledgedAt", String.valueOf(a.acknowledgedAt()));
		}
		if (a.resolvedBy() != null) {
			json.put("resolvedBy", a.resolvedBy());
			json.put("resolvedAt", String.valueOf(a.resolvedAt()));
		}
		json.put("deliveries", a.deliveries().stream().map((d) -> {
			Map<String, Object> delivery = new LinkedHashMap<>();
			delivery.put("sink", d.sink());
			delivery.put("status", d.status());
			delivery.put("attempts", d.attempts());
			if (d.lastError() != null) {
				delivery.put("lastError", d.lastError());
			}
			delivery.put("updatedAt", d.updatedAt().toString());
			return delivery;
		}).toList());
		return json;
	}

	private static long id(String id) {
		try {
			return Long.parseLong(id);
		}
		catch (NumberFormatException ex) {
			throw notFound(id);
		}
	}

	private static <T> T parse(String field, String value, List<String> allowed,
			java.util.function.Function<String, T> parser) {
		if (!allowed.contains(value)) {
			throw new BadRequestException(field, "the parameter '" + field + "' must be one of " + allowed);
		}
		return parser.apply(value);
	}

	private static int number(String field, @Nullable String value, int fallback, int min, int max) {
		if (value == null) {
			return fallback;
		}
		try {
			int n = Integer.parseInt(value);
			if (n >= min && n <= max) {
				return n;
			}
		}
		catch (NumberFormatException ex) {
			// reported below
		}
		throw new BadRequestException(field, "the parameter '" + field + "' must be a number from " + min + " to "
				+ max);
	}

	private static NotFoundException notFound(String id) {
		return new NotFoundException("alert-not-found", "there is no alert '" + id + "'");
	}
}
