package dev.gatehouse.server.admin;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import dev.gatehouse.core.access.Decision;
import dev.gatehouse.core.jsonrpc.JsonRpcCodec;
import dev.gatehouse.core.jsonrpc.JsonRpcException;
import dev.gatehouse.core.policy.PolicyDefinitions;
import dev.gatehouse.core.policy.PolicyEvaluator;
import dev.gatehouse.core.policy.Rule;
import dev.gatehouse.core.target.Target;
import dev.gatehouse.core.target.TargetAuth;
import dev.gatehouse.server.access.CurrentCaller;
import dev.gatehouse.server.access.PolicyService;
import dev.gatehouse.server.access.Principals;
import dev.gatehouse.server.catalog.Catalog;
import dev.gatehouse.server.catalog.CatalogSnapshot;
import dev.gatehouse.server.catalog.EntryKind;
import dev.gatehouse.server.catalog.Exposed;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /admin/api/policy}: the access policy (read, replace with a new version, list versions) and
 * {@code /explain}: "would this subject be allowed this tool, by which rule, and why".
 */
@RestController
@RequestMapping(path = "/admin/api/policy", produces = MediaType.APPLICATION_JSON_VALUE)
class PolicyController {

	private final PolicyService policies;

	private final Principals principals;

	private final Catalog catalog;

	private final JsonRpcCodec codec;

	PolicyController(PolicyService policies, Principals principals, Catalog catalog, JsonRpcCodec codec) {
		this.policies = policies;
		this.principals = principals;
		this.catalog = catalog;
		this.codec = codec;
	}

	/** The policy in force, with its version and source ({@code api}, {@code file} or {@code open}). */
	@GetMapping
	ResponseEntity<ObjectNode> get() {
		PolicyService.Current current = policies.current();
		ObjectNode body = PolicyDefinitions.toJson(current.evaluator().policy());
		return ResponseEntity.ok()
			.header("Gatehouse-Policy-Source", current.source())
			.eTag("\"" + current.version() + "\"")
			.body(body);
	}

	/** Saves a new version; it is in force on every instance at once. */
	@PutMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
	ResponseEntity<ObjectNode> put(@RequestBody byte[] body,
			@RequestHeader(name = "Gatehouse-Comment", required = false) @Nullable String comment) {
		JsonNode document;
		try {
			document = codec.parseJson(body);
		}
		catch (JsonRpcException ex) {
			throw new MalformedBodyException(ex.getMessage().replace("Parse error: ", ""));
		}
		policies.save(document, CurrentCaller.get(), comment);
		return get();
	}

	@GetMapping("/versions")
	List<PolicyService.Version> versions() {
		return policies.versions();
	}

	@GetMapping("/versions/{version}")
	ResponseEntity<JsonNode> version(@PathVariable long version) {
		return policies.document(version)
			.map(ResponseEntity::ok)
			.orElseGet(() -> ResponseEntity.notFound().build());
	}

	/**
	 * Explains a decision. The roles are those given in {@code roles}, or those of the subject's latest token.
	 * @param tool an exposed tool name ({@code target___tool}), or with {@code target} an upstream tool name
	 * @param arguments the call's arguments as JSON, for rules with conditions (default: none, as when listing)
	 */
	@GetMapping("/explain")
	Map<String, Object> explain(@RequestParam(required = false) @Nullable String subject,
			@RequestParam(required = false) @Nullable String issuer,
			@RequestParam(required = false) @Nullable List<String> roles, @RequestParam String tool,
			@RequestParam(required = false) @Nullable String target,
			@RequestParam(required = false) @Nullable String arguments) {
		PolicyService.Current current = policies.current();
		Map<String, Object> explanation = new LinkedHashMap<>();
		Set<String> effectiveRoles = roles(subject, issuer, roles, explanation);
		Resolved resolved = resolve(tool, target);
		JsonNode args = (arguments != null) ? parseArguments(arguments) : null;
		PolicyEvaluator evaluator = current.evaluator();
		Decision decision = evaluator.decide(effectiveRoles, resolved.target(), "tool", resolved.name(), args);
		explanation.put("tool", tool);
		explanation.put("target", resolved.target());
		explanation.put("upstreamTool", resolved.name());
		explanation.put("listed", resolved.listed());
		explanation.put("roles", new TreeSet<>(effectiveRoles));
		explanation.put("allowed", decision.allowed());
		explanation.put("effect", decision.effect().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'));
		explanation.put("rule", decision.rule());
		explanation.put("reason", decision.reason());
		List<Map<String, Object>> matching = new ArrayList<>();
		for (Rule rule : evaluator.matchingRules(effectiveRoles, resolved.target(), "tool", resolved.name())) {
			Map<String, Object> m = new LinkedHashMap<>();
			m.put("id", rule.id());
			m.put("effect", rule.effect().name().toLowerCase(java.util.Locale.ROOT));
			m.put("conditions", rule.conditions().stream().map(Object::toString).toList());
			matching.add(m);
		}
		explanation.put("matchingRules", matching);
		explanation.put("policy", Map.of("version", current.version(), "source", current.source(), "mode",
				evaluator.policy().mode().key()));
		upstreamScopes(resolved.target(), effectiveRoles, evaluator).ifPresent((s) -> explanation.put("upstreamScopes", s));
		return explanation;
	}

	private Set<String> roles(@Nullable String subject, @Nullable String issuer, @Nullable List<String> given,
			Map<String, Object> explanation) {
		if (given != null && !given.isEmpty()) {
			explanation.put("rolesFrom", "the roles parameter");
			return new TreeSet<>(given);
		}
		if (subject == null || subject.isBlank()) {
			throw new BadRequestException("subject",
					"give subject (a user who has called the gateway) or roles");
		}
		Principals.Principal principal = principals.latest(issuer, subject)
			.orElseThrow(() -> new BadRequestException("subject", "no caller with subject '"
					+ subject + "' has been seen" + ((issuer != null) ? " at issuer " + issuer : "")
					+ "; give roles instead"));
		explanation.put("subject", principal.subject());
		explanation.put("issuer", principal.issuer());
		explanation.put("rolesFrom", "the subject's latest token, seen " + principal.lastSeen());
		return principal.roles();
	}

	private Resolved resolve(String tool, @Nullable String target) {
		CatalogSnapshot snapshot = catalog.snapshot();
		if (target != null) {
			return new Resolved(target, tool, snapshot.find(EntryKind.TOOL, tool).isPresent());
		}
		Optional<Exposed> exposed = snapshot.find(EntryKind.TOOL, tool);
		if (exposed.isEmpty()) {
			throw new BadRequestException("tool", "no exposed tool is named '" + tool
					+ "'; give an exposed name (target___tool) or target and the upstream name");
		}
		return new Resolved(exposed.get().target(), exposed.get().upstreamName(), true);
	}

	private JsonNode parseArguments(String arguments) {
		try {
			JsonNode node = codec.parseJson(arguments.getBytes(java.nio.charset.StandardCharsets.UTF_8));
			if (!node.isObject()) {
				throw new BadRequestException("arguments", "must be a JSON object");
			}
			return node;
		}
		catch (JsonRpcException ex) {
			throw new BadRequestException("arguments", "must be a JSON object");
		}
	}

	/**
	 * The scopes the roles may obtain at the target: against the target's own scopes when it uses OAuth, else
	 * against every scope the policy names for it.
	 */
	private Optional<Map<String, Object>> upstreamScopes(String targetName, Set<String> roles, PolicyEvaluator evaluator) {
		Optional<Target> target = catalog.snapshot().target(targetName);
		List<String> targetScopes;
		if (target.isPresent() && target.get().auth() instanceof TargetAuth.OAuth2 oauth) {
			targetScopes = oauth.scopes();
		}
		else {
			Map<String, List<String>> byRole = evaluator.policy().upstreamScopes().get(targetName);
			if (byRole == null) {
				return Optional.empty();
			}
			Set<String> named = new java.util.LinkedHashSet<>();
			byRole.values().forEach(named::addAll);
			targetScopes = List.copyOf(named);
		}
		Map<String, Object> scopes = new LinkedHashMap<>();
		scopes.put("target", targetScopes);
		scopes.put("granted", evaluator.upstreamScopes(roles, targetName, targetScopes));
		return Optional.of(scopes);
	}

	private record Resolved(String target, String name, boolean listed) {
	}
}
