package dev.gatehouse.core.target;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.gatehouse.core.secret.SecretRef;
import dev.gatehouse.core.target.TargetAuth.GrantType;
import dev.gatehouse.core.target.TargetAuth.TokenEndpointAuthMethod;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reads target definitions in the seed's registry schema, verbatim, with the optional extensions beside what they extend,
 * and writes them back in the same shape. Every field is checked and every problem is reported with its path;
 * unknown members are refused so that a typo ({@code tokenUrll}) is not silently ignored.
 */
public final class TargetDefinitions {

	private static final Set<String> TOP_LEVEL = Set.of("name", "endpoint", "auth", "description", "enabled",
			"timeout", "headers", "namespaced");

	private static final Set<String> AUTH_NONE = Set.of("type");

	private static final Set<String> AUTH_API_KEY = Set.of("type", "header", "key");

	private static final Set<String> AUTH_OAUTH2 = Set.of("type", "authorizationUrl", "tokenUrl", "scopes",
			"clientId", "clientSecret", "tokenEndpointAuthMethod", "resource", "revocationUrl", "grantType");

	private static final Pattern HEADER_NAME = Pattern.compile("[!#$%&'*+\\-.^_`|~0-9A-Za-z]{1,128}");

	private static final Pattern SCOPE = Pattern.compile("[\\x21\\x23-\\x5B\\x5D-\\x7E]+");

	/** Headers the gateway sets itself; a target may not override them. */
	private static final Set<String> RESERVED_HEADERS = Set.of("host", "content-length", "content-type", "accept",
			"transfer-encoding", "connection", "upgrade", "te", "trailer", "keep-alive", "expect",
			"mcp-session-id", "mcp-protocol-version", "mcp-method", "mcp-name", "last-event-id", "authorization",
			"cookie", "traceparent", "tracestate");

	private static final Pattern DURATION = Pattern.compile("(\\d{1,9})(ms|s|m|h)");

	static final Duration MIN_TIMEOUT = Duration.ofMillis(100);

	static final Duration MAX_TIMEOUT = Duration.ofHours(1);

	private TargetDefinitions() {
	}

	/**
	 * Validates a definition and builds the target.
	 * @throws InvalidTargetException naming every field at fault
	 */
	public static Target parse(JsonNode json, UrlRules urls) {
		Reader reader = new Reader(urls);
		Target target = reader.target(json);
		if (!reader.errors.isEmpty() || target == null) {
			throw new InvalidTargetException(reader.errors);
		}
		return target;
	}

	/** The definition in the registry schema, as the admin API returns it. Secret references, never secrets. */
	public static ObjectNode toJson(Target target) {
		ObjectNode json = JsonNodeFactory.instance.objectNode();
		json.put("name", target.name());
		json.put("endpoint", target.endpoint().toString());
		json.set("auth", authJson(target.auth()));
		if (target.description() != null) {
			json.put("description", target.description());
		}
		json.put("enabled", target.enabled());
		if (target.timeout() != null) {
			json.put("timeout", formatDuration(target.timeout()));
		}
		if (!target.headers().isEmpty()) {
			ObjectNode headers = json.putObject("headers");
			new java.util.TreeMap<>(target.headers()).forEach(headers::put);
		}
		if (!target.namespaced()) {
			json.put("namespaced", false);
		}
		return json;
	}

	private static ObjectNode authJson(TargetAuth auth) {
		ObjectNode json = JsonNodeFactory.instance.objectNode();
		json.put("type", auth.type());
		if (auth instanceof TargetAuth.ApiKey apiKey) {
			json.put("header", apiKey.header());
			json.put("key", apiKey.key().toString());
		}
		else if (auth instanceof TargetAuth.OAuth2 oauth) {
			oauthJson(oauth, json);
		}
		return json;
	}

	private static void oauthJson(TargetAuth.OAuth2 oauth, ObjectNode json) {
		putIfPresent(json, "authorizationUrl", oauth.authorizationUrl());
		putIfPresent(json, "tokenUrl", oauth.tokenUrl());
		ArrayNode scopes = json.putArray("scopes");
		oauth.scopes().forEach(scopes::add);
		putIfPresent(json, "clientId", oauth.clientId());
		putIfPresent(json, "clientSecret", oauth.clientSecret());
		if (oauth.tokenEndpointAuthMethod() != null) {
			json.put("tokenEndpointAuthMethod", oauth.tokenEndpointAuthMethod().value());
		}
		putIfPresent(json, "resource", oauth.resource());
		putIfPresent(json, "revocationUrl", oauth.revocationUrl());
		json.put("grantType", oauth.grantType().value());
	}

	private static void putIfPresent(ObjectNode json, String name, @Nullable Object value) {
		if (value != null) {
			json.put(name, value.toString());
		}
	}

	/** Parses {@code 30s}, {@code 500ms}, {@code 2m}, {@code 1h}, ISO-8601 ({@code PT30S}) or whole seconds. */
	public static Duration parseDuration(JsonNode node) {
		if (node.isIntegralNumber() && node.canConvertToLong()) {
			return Duration.ofSeconds(node.longValue());
		}
		if (!node.isString()) {
			throw new IllegalArgumentException("must be a duration such as \"30s\", \"500ms\" or \"PT1M\"");
		}
		String text = node.stringValue().strip();
		Matcher m = DURATION.matcher(text);
		if (m.matches()) {
			long n = Long.parseLong(m.group(1));
			return switch (m.group(2)) {
				case "ms" -> Duration.ofMillis(n);
				case "s" -> Duration.ofSeconds(n);
				case "m" -> Duration.ofMinutes(n);
				default -> Duration.ofHours(n);
			};
		}
		try {
			return Duration.parse(text);
		}
		catch (RuntimeException ex) {
			throw new IllegalArgumentException("must be a duration such as \"30s\", \"500ms\" or \"PT1M\"");
		}
	}

	static String formatDuration(Duration d) {
		if (d.toMillisPart() != 0 || d.isZero()) {
			return d.toMillis() + "ms";
		}
		if (d.toSeconds() % 3600 == 0) {
			return d.toHours() + "h";
		}
		if (d.toSeconds() % 60 == 0) {
			return d.toMinutes() + "m";
		}
		return d.toSeconds() + "s";
	}

	/** Collects every error of one definition. */
	private static final class Reader {

		private final UrlRules urls;

		private final List<FieldError> errors = new ArrayList<>();

		Reader(UrlRules urls) {
			this.urls = urls;
		}

		@Nullable Target target(JsonNode json) {
			if (!(json instanceof ObjectNode object)) {
				error("$", "a target must be a JSON object");
				return null;
			}
			rejectUnknown(object, TOP_LEVEL, "");
			String name = name(object.get("name"));
			URI endpoint = url(object.get("endpoint"), "endpoint", true);
			TargetAuth auth = auth(object.get("auth"));
			String description = optionalText(object.get("description"), "description", 1024);
			boolean enabled = bool(object.get("enabled"), "enabled", true);
			Duration timeout = timeout(object.get("timeout"));
			Map<String, String> headers = headers(object.get("headers"), auth);
			boolean namespaced = bool(object.get("namespaced"), "namespaced", true);
			if (!errors.isEmpty() || name == null || endpoint == null || auth == null) {
				return null;
			}
			return new Target(name, endpoint, auth, description, enabled, timeout, headers, namespaced);
		}

		private @Nullable String name(@Nullable JsonNode node) {
			if (node == null || node.isNull()) {
				error("name", "is required");
				return null;
			}
			if (!node.isString()) {
				error("name", "must be a string");
				return null;
			}
			String name = node.stringValue();
			if (!Target.NAME.matcher(name).matches()) {
				error("name", "must be 1 to 48 characters: a lower-case letter, then lower-case letters, digits "
						+ "or '-' (it becomes the prefix of tool names), but was '" + printable(name) + "'");
				return null;
			}
			return name;
		}

		private @Nullable TargetAuth auth(@Nullable JsonNode node) {
			if (node == null || node.isNull()) {
				return new TargetAuth.None();
			}
			if (!(node instanceof ObjectNode auth)) {
				error("auth", "must be an object such as {\"type\":\"none\"}");
				return null;
			}
			JsonNode type = auth.get("type");
			if (type == null || !type.isString()) {
				error("auth.type", "is required: one of none, apiKey, oauth2");
				return null;
			}
			return switch (type.stringValue()) {
				case "none" -> {
					rejectUnknown(auth, AUTH_NONE, "auth.");
					yield new TargetAuth.None();
				}
				case "apiKey" -> apiKey(auth);
				case "oauth2" -> oauth2(auth);
				default -> {
					error("auth.type", "must be one of none, apiKey, oauth2, but was '"
							+ printable(type.stringValue()) + "'");
					yield null;
				}
			};
		}

		private @Nullable TargetAuth apiKey(ObjectNode auth) {
			rejectUnknown(auth, AUTH_API_KEY, "auth.");
			String header = TargetAuth.ApiKey.DEFAULT_HEADER;
			JsonNode headerNode = auth.get("header");
			if (headerNode != null && !headerNode.isNull()) {
				if (!headerNode.isString() || !HEADER_NAME.matcher(headerNode.stringValue()).matches()) {
					error("auth.header", "must be an HTTP header name such as X-API-Key");
					return null;
				}
				header = headerNode.stringValue();
				String lower = header.toLowerCase(Locale.ROOT);
				if (!lower.equals("authorization") && RESERVED_HEADERS.contains(lower)) {
					error("auth.header", "'" + header + "' is set by the gateway itself");
					return null;
				}
			}
			SecretRef key = secretRef(auth.get("key"), "auth.key", true);
			if (key != null && key.kind() == SecretRef.Kind.VAULT) {
				error("auth.key", "must be an env: or file: reference (vault: is for auth.clientSecret)");
				return null;
			}
			return (key != null) ? new TargetAuth.ApiKey(header, key) : null;
		}

		private @Nullable TargetAuth oauth2(ObjectNode auth) {
			rejectUnknown(auth, AUTH_OAUTH2, "auth.");
			URI authorizationUrl = url(auth.get("authorizationUrl"), "auth.authorizationUrl", false);
			URI tokenUrl = url(auth.get("tokenUrl"), "auth.tokenUrl", false);
			List<String> scopes = scopes(auth.get("scopes"));
			String clientId = optionalText(auth.get("clientId"), "auth.clientId", 512);
			SecretRef clientSecret = secretRef(auth.get("clientSecret"), "auth.clientSecret", false);
			TokenEndpointAuthMethod method = authMethod(auth.get("tokenEndpointAuthMethod"));
			URI resource = url(auth.get("resource"), "auth.resource", false);
			URI revocationUrl = url(auth.get("revocationUrl"), "auth.revocationUrl", false);
			GrantType grantType = grantType(auth.get("grantType"));
			if (grantType == null || scopes == null) {
				return null;
			}
			return new TargetAuth.OAuth2(authorizationUrl, tokenUrl, scopes, clientId, clientSecret, method,
					resource, revocationUrl, grantType);
		}

		private @Nullable List<String> scopes(@Nullable JsonNode node) {
			if (node == null || node.isNull()) {
				return List.of();
			}
			if (!node.isArray()) {
				error("auth.scopes", "must be an array of strings such as [\"data:read\"]");
				return null;
			}
			List<String> scopes = new ArrayList<>();
			for (int i = 0; i < node.size(); i++) {
				JsonNode scope = node.get(i);
				if (!scope.isString() || !SCOPE.matcher(scope.stringValue()).matches()) {
					error("auth.scopes[" + i + "]", "must be a scope token: printable characters without "
							+ "spaces, quotes or backslashes (RFC 6749 §3.3)");
					return null;
				}
				if (!scopes.contains(scope.stringValue())) {
					scopes.add(scope.stringValue());
				}
			}
			return scopes;
		}

		private @Nullable TokenEndpointAuthMethod authMethod(@Nullable JsonNode node) {
			if (node == null || node.isNull()) {
				return null;
			}
			if (node.isString()) {
				var method = TokenEndpointAuthMethod.find(node.stringValue());
				if (method.isPresent()) {
					return method.get();
				}
			}
			error("auth.tokenEndpointAuthMethod",
					"must be one of client_secret_basic, client_secret_post, private_key_jwt, none");
			return null;
		}

		private @Nullable GrantType grantType(@Nullable JsonNode node) {
			if (node == null || node.isNull()) {
				return GrantType.AUTHORIZATION_CODE;
			}
			if (node.isString()) {
				var grant = GrantType.find(node.stringValue());
				if (grant.isPresent()) {
					return grant.get();
				}
			}
			error("auth.grantType", "must be authorization_code or client_credentials");
			return null;
		}

		private @Nullable SecretRef secretRef(@Nullable JsonNode node, String field, boolean required) {
			if (node == null || node.isNull()) {
				if (required) {
					error(field, "is required: a secret reference such as env:NAME or file:PATH");
				}
				return null;
			}
			if (!node.isString()) {
				error(field, "must be a secret reference such as env:NAME or file:PATH");
				return null;
			}
			try {
				var ref = SecretRef.parse(node.stringValue());
				if (ref.isEmpty()) {
					// Never echo the value: it may be the secret itself.
					error(field, "must be a secret reference such as env:NAME or file:PATH, not a literal value");
					return null;
				}
				return ref.get();
			}
			catch (IllegalArgumentException ex) {
				error(field, ex.getMessage());
				return null;
			}
		}

		private @Nullable URI url(@Nullable JsonNode node, String field, boolean required) {
			if (node == null || node.isNull()) {
				if (required) {
					error(field, "is required");
				}
				return null;
			}
			if (!node.isString()) {
				error(field, "must be a URL string");
				return null;
			}
			var problem = urls.check(node.stringValue());
			if (problem.isPresent()) {
				error(field, problem.get());
				return null;
			}
			return URI.create(node.stringValue());
		}

		private @Nullable Duration timeout(@Nullable JsonNode node) {
			if (node == null || node.isNull()) {
				return null;
			}
			try {
				Duration d = parseDuration(node);
				if (d.compareTo(MIN_TIMEOUT) < 0 || d.compareTo(MAX_TIMEOUT) > 0) {
					error("timeout", "must be between 100ms and 1h");
					return null;
				}
				return d;
			}
			catch (IllegalArgumentException ex) {
				error("timeout", ex.getMessage());
				return null;
			}
		}

		private Map<String, String> headers(@Nullable JsonNode node, @Nullable TargetAuth auth) {
			Map<String, String> headers = new LinkedHashMap<>();
			if (node == null || node.isNull()) {
				return headers;
			}
			if (!(node instanceof ObjectNode object)) {
				error("headers", "must be an object of header names to values");
				return headers;
			}
			Set<String> seen = new java.util.HashSet<>();
			for (var entry : object.properties()) {
				String name = entry.getKey();
				String field = "headers." + name;
				String lower = name.toLowerCase(Locale.ROOT);
				if (!seen.add(lower)) {
					error(field, "is given twice (header names are case-insensitive)");
				}
				else if (!HEADER_NAME.matcher(name).matches()) {
					error("headers", "'" + printable(name) + "' is not a valid HTTP header name");
				}
				else if (RESERVED_HEADERS.contains(lower)) {
					error(field, "is set by the gateway itself and cannot be configured");
				}
				else if (auth instanceof TargetAuth.ApiKey key && key.header().equalsIgnoreCase(name)) {
					error(field, "carries the API key; set it through auth.key");
				}
				else if (!entry.getValue().isString() || !isHeaderValue(entry.getValue().stringValue())) {
					error(field, "must be a string of printable characters");
				}
				else {
					headers.put(name, entry.getValue().stringValue());
				}
			}
			return headers;
		}

		private static boolean isHeaderValue(String value) {
			return value.length() <= 4096 && value.chars().allMatch((c) -> c == '\t' || (c >= 0x20 && c != 0x7f));
		}

		private @Nullable String optionalText(@Nullable JsonNode node, String field, int maxLength) {
			if (node == null || node.isNull()) {
				return null;
			}
			if (!node.isString()) {
				error(field, "must be a string");
				return null;
			}
			if (node.stringValue().length() > maxLength) {
				error(field, "must be at most " + maxLength + " characters");
				return null;
			}
			return node.stringValue();
		}

		private boolean bool(@Nullable JsonNode node, String field, boolean defaultValue) {
			if (node == null || node.isNull()) {
				return defaultValue;
			}
			if (!node.isBoolean()) {
				error(field, "must be true or false");
				return defaultValue;
			}
			return node.booleanValue();
		}

		private void rejectUnknown(ObjectNode object, Set<String> known, String prefix) {
			for (String name : object.propertyNames()) {
				if (!known.contains(name)) {
					error(prefix + printable(name), "is not a known field (known: "
							+ String.join(", ", new java.util.TreeSet<>(known)) + ")");
				}
			}
		}

		private void error(String field, String message) {
			errors.add(new FieldError(field, message));
		}

		private static String printable(String value) {
			String cut = value.length() > 64 ? value.substring(0, 64) + "…" : value;
			return cut.replaceAll("[\\p{Cntrl}]", "?");
		}

	}
}
