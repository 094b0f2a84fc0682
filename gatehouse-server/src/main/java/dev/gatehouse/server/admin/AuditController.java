package dev.gatehouse.server.admin;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.gatehouse.server.audit.AuditIntegrity;
import jakarta.servlet.http.HttpServletResponse;
import dev.gatehouse.server.audit.AuditStore;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /admin/api/audit}: search the audit trail (newest first, paginated by {@code before}), export it as JSON
 * Lines, verify its hash chain, and list the signed daily checkpoints with the public key that checks them.
 */
@RestController
@RequestMapping("/admin/api/audit")
class AuditController {

	static final MediaType JSON_LINES = MediaType.parseMediaType("application/x-ndjson");

	private final AuditStore store;

	private final AuditIntegrity integrity;

	private final JsonMapper json = JsonMapper.builder().build();

	AuditController(AuditStore store, AuditIntegrity integrity) {
		this.store = store;
		this.integrity = integrity;
	}

	@GetMapping(produces = MediaType.APPLICATION_JSON_VALUE)
	Map<String, Object> search(@RequestParam(required = false) @Nullable String type,
			@RequestParam(required = false) @Nullable String issuer,
			@RequestParam(required = false) @Nullable String subject,
			@RequestParam(required = false) @Nullable String target,
			@RequestParam(required = false) @Nullable String tool,
			@RequestParam(required = false) @Nullable String outcome,
			@RequestParam(required = false) @Nullable String from, @RequestParam(required = false) @Nullable String to,
			@RequestParam(required = false) @Nullable String before,
			@RequestParam(required = false) @Nullable String limit) {
		AuditStore.Query query = query(type, issuer, subject, target, tool, outcome, from, to);
		int size = number("limit", limit, 100, 1, 1000).intValue();
		long cursor = number("before", before, Long.MAX_VALUE, 1, Long.MAX_VALUE);
		List<AuditStore.Stored> page = store.search(query, cursor, size);
		Map<String, Object> result = new LinkedHashMap<>();
		result.put("records", page.stream().map(this::record).toList());
		result.put("next", (page.size() == size) ? "/admin/api/audit?before=" + page.get(page.size() - 1).seq()
				+ "&limit=" + size + filters(query) : null);
		return result;
	}

	/**
	 * Every matching record, oldest first, one JSON object per line: {@code {"hash","prev_hash","record"}} where
	 * {@code record} is the exact canonical text that was hashed, so that the chain can be verified offline.
	 */
	@GetMapping(path = "/export")
	void export(@RequestParam(required = false) @Nullable String type,
			@RequestParam(required = false) @Nullable String issuer,
			@RequestParam(required = false) @Nullable String subject,
			@RequestParam(required = false) @Nullable String target,
			@RequestParam(required = false) @Nullable String tool,
			@RequestParam(required = false) @Nullable String outcome,
			@RequestParam(required = false) @Nullable String from, @RequestParam(required = false) @Nullable String to,
			HttpServletResponse response) throws IOException {
		AuditStore.Query query = query(type, issuer, subject, target, tool, outcome, from, to);
		// Written on the request thread (not an async StreamingResponseBody, whose dispatch would need the caller's
		// authentication again), page by page, so memory stays flat however long the trail is.
		response.setContentType(JSON_LINES.toString());
		response.setHeader("Content-Disposition", "attachment; filename=\"gatehouse-audit.jsonl\"");
		OutputStream out = response.getOutputStream();
		try {
			store.export(query, (stored) -> {
				try {
					out.write(("{\"hash\":\"" + stored.hash() + "\",\"prev_hash\":\"" + stored.previousHash()
							+ "\",\"record\":" + stored.record() + "}\n").getBytes(StandardCharsets.UTF_8));
				}
				catch (IOException ex) {
					throw new UncheckedIOException(ex);
				}
			});
		}
		catch (UncheckedIOException ex) {
			throw ex.getCause();
		}
		out.flush();
	}

	@GetMapping(path = "/verify", produces = MediaType.APPLICATION_JSON_VALUE)
	Map<String, Object> verify() {
		AuditIntegrity.Verification v = integrity.verify();
		Map<String, Object> result = new LinkedHashMap<>();
		result.put("ok", v.ok());
		result.put("recordsChecked", v.recordsChecked());
		result.put("checkpointsChecked", v.checkpointsChecked());
		result.put("firstSeq", v.firstSeq());
		result.put("lastSeq", v.lastSeq());
		result.put("problems", v.problems().stream().limit(1000).map((p) -> Map.of("seq", p.seq(), "problem",
				p.problem())).toList());
		result.put("callsUnderWay", v.callsUnderWay());
		return result;
	}

	@GetMapping(path = "/checkpoints", produces = MediaType.APPLICATION_JSON_VALUE)
	Map<String, Object> checkpoints() {
		Map<String, Object> result = new LinkedHashMap<>();
		result.put("algorithm", "Ed25519");
		result.put("publicKey", integrity.publicKey().orElse(null));
		result.put("checkpoints", integrity.checkpoints().stream().map((c) -> {
			Map<String, Object> json = new LinkedHashMap<>();
			json.put("day", c.day().toString());
			json.put("firstSeq", c.firstSeq());
			json.put("lastSeq", c.lastSeq());
			json.put("records", c.records());
			json.put("prevHash", c.previousHash());
			json.put("lastHash", c.lastHash());
			json.put("signature", c.signature());
			json.put("createdAt", c.createdAt().toString());
			json.put("recordsDeletedAt", (c.recordsDeletedAt() != null) ? c.recordsDeletedAt().toString() : null);
			return json;
		}).toList());
		return result;
	}

	private ObjectNode record(AuditStore.Stored stored) {
		JsonNode record = json.readTree(stored.record());
		ObjectNode node = json.createObjectNode();
		record.properties().forEach((e) -> node.set(e.getKey(), e.getValue()));
		node.put("hash", stored.hash());
		return node;
	}

	private static AuditStore.Query query(@Nullable String type, @Nullable String issuer, @Nullable String subject,
			@Nullable String target, @Nullable String tool, @Nullable String outcome, @Nullable String from,
			@Nullable String to) {
		Instant start = instant("from", from);
		Instant end = instant("to", to);
		if (start != null && end != null && !start.isBefore(end)) {
			throw new BadRequestException("to", "must be after from");
		}
		return new AuditStore.Query(blankToNull(type), blankToNull(issuer), blankToNull(subject), blankToNull(target),
				blankToNull(tool), blankToNull(outcome), start, end);
	}

	/** An instant ({@code 2026-11-28T10:15:30Z}) or a UTC day ({@code 2026-11-28}, its start). */
	private static @Nullable Instant instant(String name, @Nullable String value) {
		if (value == null || value.isBlank()) {
			return null;
		}
		try {
			return (value.length() == 10) ? LocalDate.parse(value).atStartOfDay(ZoneOffset.UTC).toInstant()
					: Instant.parse(value);
		}
		catch (DateTimeParseException ex) {
			throw new BadRequestException(name, "must be an ISO-8601 instant such as 2026-11-28T10:15:30Z or a day "
					+ "such as 2026-11-28, not '" + abbreviate(value) + "'");
		}
	}

	private static Long number(String name, @Nullable String value, long fallback, long min, long max) {
		if (value == null || value.isBlank()) {
			return fallback;
		}
		try {
			long n = Long.parseLong(value);
			if (n >= min && n <= max) {
				return n;
			}
		}
		catch (NumberFormatException ex) {
			// reported below
		}
		throw new BadRequestException(name, "must be a whole number from " + min + " to " + max + ", not '"
				+ abbreviate(value) + "'");
	}

	private static String filters(AuditStore.Query q) {
		StringBuilder s = new StringBuilder();
		append(s, "type", q.type());
		append(s, "issuer", q.issuer());
		append(s, "subject", q.subject());
		append(s, "target", q.target());
		append(s, "tool", q.tool());
		append(s, "outcome", q.outcome());
		append(s, "from", (q.from() != null) ? q.from().toString() : null);
		append(s, "to", (q.to() != null) ? q.to().toString() : null);
		return s.toString();
	}

	private static void append(StringBuilder s, String name, @Nullable String value) {
		if (value != null) {
			s.append('&').append(name).append('=').append(java.net.URLEncoder.encode(value, StandardCharsets.UTF_8));
		}
	}

	private static @Nullable String blankToNull(@Nullable String value) {
		return (value == null || value.isBlank()) ? null : value;
	}

	private static String abbreviate(String value) {
		return (value.length() <= 40) ? value : value.substring(0, 40) + "…";
	}
}
