package dev.gatehouse.core.policy;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import dev.gatehouse.core.access.Decision.Effect;
import dev.gatehouse.core.target.FieldError;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reads a policy document (JSON, or YAML read as a tree) and writes it back. Every field is checked and every
 * problem reported with its path; unknown fields are refused.
 *
 * <pre>
 * mode: enforce                       # or log-only
 * roleMappings:
 *   - {claim: roles, value: "*"}      # each value of the roles claim is a role
 *   - {claim: groups, value: finance, roles: [finance-analyst]}
 * rules:
 *   - {id: finance-read, effect: allow, roles: [finance-analyst], targets: [risk-assessment-mcp], tools: ["get_*"]}
 *   - id: large-orders
 *     effect: deny
 *     roles: ["*"]
 *     targets: [trading]
 *     tools: [place_order]
 *     when: [{argument: amount, greaterThan: 10000}]
 * upstreamScopes:
 *   risk-assessment-mcp: {finance-analyst: ["data:read"], risk-analyst: ["risk:analyze", "data:read"]}
 * </pre>
 */
public final class PolicyDefinitions {

	private static final Set<String> TOP = Set.of("mode", "roleMappings", "rules", "upstreamScopes");

	private static final Set<String> MAPPING = Set.of("claim", "value", "roles", "prefix");

	private static final Set<String> RULE = Set.of("id", "effect", "roles", "targets", "tools", "prompts", "resources",
			"when", "description");

	private static final Pattern ID = Pattern.compile("[A-Za-z0-9_.:-]{1,64}");

	private PolicyDefinitions() {
	}

	/**
	 * @throws InvalidPolicyException naming every field at fault
	 */
	public static Policy parse(JsonNode json) {
		Reader reader = new Reader();
		Policy policy = reader.policy(json);
		if (!reader.errors.isEmpty() || policy == null) {
			throw new InvalidPolicyException(reader.errors);
		}
		return policy;
	}

	/** The policy as a document, in the shape {@link #parse} reads. */
	public static ObjectNode toJson(Policy policy) {
		ObjectNode json = JsonNodeFactory.instance.objectNode();
		json.put("mode", policy.mode().key());
		ArrayNode mappings = json.putArray("roleMappings");
		for (RoleMapping m : policy.roleMappings()) {
			ObjectNode node = mappings.addObject();
			node.put("claim", m.claim());
			node.put("value", m.value());
			if (!m.roles().isEmpty()) {
				ArrayNode roles = node.putArray("roles");
				m.roles().forEach(roles::add);
			}
			if (m.prefix() != null) {
				node.put("prefix", m.prefix());
			}
		}
		ArrayNode rules = json.putArray("rules");
		for (Rule rule : policy.rules()) {
			ObjectNode node = rules.addObject();
			node.put("id", rule.id());
			node.put("effect", rule.effect() == Effect.DENY ? "deny" : "allow");
			globs(node, "roles", rule.roles());
			globs(node, "targets", rule.targets());
			globs(node, "tools", rule.tools());
			globs(node, "prompts", rule.prompts());
			globs(node, "resources", rule.resources());
			if (!rule.conditions().isEmpty()) {
				ArrayNode when = node.putArray("when");
				for (Condition c : rule.conditions()) {
					ObjectNode condition = when.addObject();
					condition.put("argument", c.argument());
					if (c.value() != null) {
						condition.set(c.operator().key(), c.value());
					}
					else {
						condition.put(c.operator().key(), true);
					}
				}
			}
			if (rule.description() != null) {
				node.put("description", rule.description());
			}
		}
		ObjectNode scopes = json.putObject("upstreamScopes");
		new java.util.TreeMap<>(policy.upstreamScopes()).forEach((target, byRole) -> {
			ObjectNode t = scopes.putObject(target);
			new java.util.TreeMap<>(byRole).forEach((role, list) -> {
				ArrayNode array = t.putArray(role);
				list.forEach(array::add);
			});
		});
		return json;
	}

	private static void globs(ObjectNode node, String name, @Nullable List<Glob> globs) {
		if (globs != null) {
			ArrayNode array = node.putArray(name);
			globs.forEach((g) -> array.add(g.pattern()));
		}
	}

	/** Collects every error of one document. */
	private static final class Reader {

		private final List<FieldError> errors = new ArrayList<>();

		private final Set<String> ruleIds = new HashSet<>();

		@Nullable Policy policy(JsonNode json) {
			if (!(json instanceof ObjectNode object)) {
				error("$", "a policy must be an object with mode, roleMappings, rules and upstreamScopes");
				return null;
			}
			unknown(object, TOP, "");
			Policy.Mode mode = mode(object.get("mode"));
			List<RoleMapping> mappings = list(object.get("roleMappings"), "roleMappings", this::mapping);
			List<Rule> rules = list(object.get("rules"), "rules", this::rule);
			Map<String, Map<String, List<String>>> scopes = upstreamScopes(object.get("upstreamScopes"));
			return errors.isEmpty() ? new Policy(mode, mappings, rules, scopes) : null;
		}

		private Policy.Mode mode(@Nullable JsonNode node) {
			if (node == null || node.isNull()) {
				return Policy.Mode.ENFORCE;
			}
			for (Policy.Mode mode : Policy.Mode.values()) {
				if (node.isString() && mode.key().equals(node.stringValue())) {
					return mode;
				}
			}
			error("mode", "must be enforce or log-only");
			return Policy.Mode.ENFORCE;
		}

		private <T> List<T> list(@Nullable JsonNode node, String field, ItemReader<T> reader) {
			List<T> items = new ArrayList<>();
			if (node == null || node.isNull()) {
				return items;
			}
			if (!node.isArray()) {
				error(field, "must be a list");
				return items;
			}
			for (int i = 0; i < node.size(); i++) {
				T item = reader.read(node.get(i), field + "[" + i + "]");
				if (item != null) {
					items.add(item);
				}
			}
			return items;
		}

		private @Nullable RoleMapping mapping(JsonNode node, String path) {
			if (!(node instanceof ObjectNode object)) {
				error(path, "must be an object such as {claim: groups, value: finance, roles: [finance-analyst]}");
				return null;
			}
			unknown(object, MAPPING, path + ".");
			String claim = text(object.get("claim"), path + ".claim", true);
			String value = text(object.get("value"), path + ".value", true);
			List<String> roles = strings(object.get("roles"), path + ".roles", false);
			String prefix = text(object.get("prefix"), path + ".prefix", false);
			if (value != null && !value.equals("*") && roles.isEmpty()) {
				error(path + ".roles", "is required: the roles a claim with value '" + value + "' grants");
			}
			if (prefix != null && !"*".equals(value)) {
				error(path + ".prefix", "applies only with value \"*\"");
			}
			return (claim != null && value != null) ? new RoleMapping(claim, value, roles, prefix) : null;
		}

		private @Nullable Rule rule(JsonNode node, String path) {
			if (!(node instanceof ObjectNode object)) {
				error(path, "must be an object with id, effect, roles, targets");
				return null;
			}
			unknown(object, RULE, path + ".");
			String id = text(object.get("id"), path + ".id", true);
			if (id != null && !ID.matcher(id).matches()) {
				error(path + ".id", "must be 1 to 64 characters of letters, digits, '_', '.', ':' or '-'");
				id = null;
			}
			else if (id != null && !ruleIds.add(id)) {
				error(path + ".id", "'" + id + "' is used by an earlier rule");
			}
			Effect effect = effect(object.get("effect"), path + ".effect");
			List<Glob> roles = globs(object.get("roles"), path + ".roles", true);
			List<Glob> targets = globs(object.get("targets"), path + ".targets", true);
			List<Glob> tools = optionalGlobs(object.get("tools"), path + ".tools");
			List<Glob> prompts = optionalGlobs(object.get("prompts"), path + ".prompts");
			List<Glob> resources = optionalGlobs(object.get("resources"), path + ".resources");
			List<Condition> conditions = list(object.get("when"), path + ".when", this::condition);
			if (object.get("when") != null && tools == null) {
				error(path + ".when", "conditions apply to tool arguments: name the tools the rule covers");
			}
			String description = text(object.get("description"), path + ".description", false);
			if (id == null || effect == null || roles.isEmpty() || targets.isEmpty()) {
				return null;
			}
			return new Rule(id, effect, roles, targets, tools, prompts, resources, conditions, description);
		}

		private @Nullable Effect effect(@Nullable JsonNode node, String path) {
			if (node != null && node.isString()) {
				if (node.stringValue().equals("allow")) {
					return Effect.ALLOW;
				}
				if (node.stringValue().equals("deny")) {
					return Effect.DENY;
				}
			}
			error(path, "must be allow or deny");
			return null;
		}

		private @Nullable Condition condition(JsonNode node, String path) {
			if (!(node instanceof ObjectNode object)) {
				error(path, "must be an object such as {argument: amount, lessThan: 10000}");
				return null;
			}
			int errorsBefore = errors.size();
			String argument = text(object.get("argument"), path + ".argument", true);
			Condition.Operator operator = null;
			JsonNode value = null;
			for (String name : object.propertyNames()) {
				if (name.equals("argument")) {
					continue;
				}
				Condition.Operator op = Condition.Operator.of(name);
				if (op == null) {
					error(path + "." + name, "is not a known field (operators: " + String.join(", ", Condition.Operator.keys())
							+ ")");
				}
				else if (operator != null) {
					error(path + "." + name, "a condition has one operator; split it into several conditions");
				}
				else {
					operator = op;
					value = object.get(name);
				}
			}
			if (operator == null) {
				error(path, "needs an operator: one of " + String.join(", ", Condition.Operator.keys()));
				return null;
			}
			value = checkValue(operator, value, path + "." + operator.key());
			return (argument != null && errors.size() == errorsBefore) ? new Condition(argument, operator, value) : null;
		}

		private @Nullable JsonNode checkValue(Condition.Operator operator, @Nullable JsonNode value, String path) {
			switch (operator) {
				case PRESENT, ABSENT -> {
					if (value == null || !value.isBoolean() || !value.booleanValue()) {
						error(path, "must be true");
					}
					return null;
				}
				case LESS_THAN, LESS_THAN_OR_EQUAL, GREATER_THAN, GREATER_THAN_OR_EQUAL -> {
					if (value == null || !value.isNumber()) {
						error(path, "must be a number");
					}
				}
				case IN, NOT_IN -> {
					if (value == null || !value.isArray()) {
						error(path, "must be a list of values");
					}
				}
				case MATCHES -> {
					if (value == null || !value.isString()) {
						error(path, "must be a regular expression");
					}
					else {
						try {
							Pattern.compile(value.stringValue());
						}
						catch (PatternSyntaxException ex) {
							error(path, "is not a valid regular expression (" + ex.getDescription() + ")");
						}
					}
				}
				default -> {
					if (value == null || value.isNull() || value.isObject() || value.isArray()) {
						error(path, "must be a string, number or boolean");
					}
				}
			}
			return value;
		}

		private Map<String, Map<String, List<String>>> upstreamScopes(@Nullable JsonNode node) {
			Map<String, Map<String, List<String>>> scopes = new LinkedHashMap<>();
			if (node == null || node.isNull()) {
				return scopes;
			}
			if (!(node instanceof ObjectNode object)) {
				error("upstreamScopes", "must map target names to {role: [scopes]}");
				return scopes;
			}
			for (var target : object.properties()) {
				String path = "upstreamScopes." + target.getKey();
				if (!(target.getValue() instanceof ObjectNode byRole)) {
					error(path, "must map roles to lists of scopes");
					continue;
				}
				Map<String, List<String>> roles = new LinkedHashMap<>();
				for (var role : byRole.properties()) {
					roles.put(role.getKey(), strings(role.getValue(), path + "." + role.getKey(), true));
				}
				scopes.put(target.getKey(), Map.copyOf(roles));
			}
			return scopes;
		}

		private List<Glob> globs(@Nullable JsonNode node, String path, boolean required) {
			return strings(node, path, required).stream().map(Glob::of).toList();
		}

		private @Nullable List<Glob> optionalGlobs(@Nullable JsonNode node, String path) {
			if (node == null || node.isNull()) {
				return null;
			}
			return globs(node, path, true);
		}

		private List<String> strings(@Nullable JsonNode node, String path, boolean required) {
			List<String> values = new ArrayList<>();
			if (node == null || node.isNull()) {
				if (required) {
					error(path, "is required: a list of strings");
				}
				return values;
			}
			if (!node.isArray()) {
				error(path, "must be a list of strings");
				return values;
			}
			for (int i = 0; i < node.size(); i++) {
				JsonNode item = node.get(i);
				if (!item.isString() || item.stringValue().isBlank()) {
					error(path + "[" + i + "]", "must be a non-empty string");
				}
				else {
					values.add(item.stringValue());
				}
			}
			if (required && values.isEmpty() && node.isEmpty()) {
				error(path, "must not be empty");
			}
			return values;
		}

		private @Nullable String text(@Nullable JsonNode node, String path, boolean required) {
			if (node == null || node.isNull()) {
				if (required) {
					error(path, "is required");
				}
				return null;
			}
			if (!node.isString() || node.stringValue().isEmpty()) {
				error(path, "must be a non-empty string");
				return null;
			}
			return node.stringValue();
		}

		private void unknown(ObjectNode object, Set<String> known, String prefix) {
			for (String name : object.propertyNames()) {
				if (!known.contains(name)) {
					error(prefix + name, "is not a known field (known: " + String.join(", ", new TreeSet<>(known)) + ")");
				}
			}
		}

		private void error(String field, String message) {
			errors.add(new FieldError(field, message));
		}

	}

	@FunctionalInterface
	private interface ItemReader<T> {

		@Nullable T read(JsonNode node, String path);

	}
}
