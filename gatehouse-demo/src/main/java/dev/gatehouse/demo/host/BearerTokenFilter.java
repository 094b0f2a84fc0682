package dev.gatehouse.demo.host;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Enumeration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;

import com.nimbusds.jwt.JWTClaimsSet;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.gatehouse.demo.host.AccessTokenVerifier.Verification;

/**
 * Makes the MCP endpoint an OAuth 2.0 protected resource: every request must carry
 * {@code Authorization: Bearer <JWT>} that {@link AccessTokenVerifier} accepts for this
 * host's resource URL, and {@code tools/call} of a tool with a required scope needs that
 * scope in the token. The verified caller is left as a request attribute for the SDK's
 * transport context ({@link BearerCaller}); the body, read here to find the method and
 * tool, is replayed to the SDK ({@link CachedBodyRequest}).
 *
 * <p>
 * Answers, before the SDK sees anything: no token, {@code 401} with
 * {@code WWW-Authenticate: Bearer resource_metadata="..", scope=".."}; a token that fails
 * a check, {@code 401} with {@code error="invalid_token"}; a missing tool scope,
 * {@code 403} with {@code error="insufficient_scope", scope="<needed>"}; the issuer's keys
 * unreachable (never fetched), {@code 503}. Each request is recorded as an
 * {@link ObservedToken} (the token's SHA-256, never the token). Thread-safe.
 *
 * @see <a href="https://datatracker.ietf.org/doc/html/rfc6750#section-3">RFC 6750
 * section 3</a>
 * @see <a href="https://datatracker.ietf.org/doc/html/rfc9728#section-5.1">RFC 9728
 * section 5.1</a>
 * @see <a href=
 * "https://modelcontextprotocol.io/specification/2025-11-25/basic/authorization#scope-challenge-handling">MCP
 * scope challenges</a>
 */
final class BearerTokenFilter implements Filter {

	/** The path prefix of RFC 9728 protected resource metadata. */
	static final String WELL_KNOWN = "/.well-known/oauth-protected-resource";

	private static final Logger logger = LoggerFactory.getLogger(BearerTokenFilter.class);

	private static final int MAX_BODY_BYTES = 4 * 1024 * 1024;

	/** RFC 6750 section 2.1 {@code b64token}. */
	private static final Pattern B64TOKEN = Pattern.compile("[A-Za-z0-9\\-._~+/]+=*");

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final BearerTokenSettings settings;

	private final AccessTokenVerifier verifier;

	private final String endpoint;

	private final List<ObservedToken> observed = new CopyOnWriteArrayList<>();

	/**
	 * @param settings the token rules
	 * @param endpoint the path clients connect to ({@code /mcp}); with the port, the
	 * resource URL that tokens must name in {@code aud}
	 */
	BearerTokenFilter(BearerTokenSettings settings, String endpoint) {
		this.settings = settings;
		this.verifier = new AccessTokenVerifier(settings);
		this.endpoint = endpoint;
	}

	List<ObservedToken> observed() {
		return List.copyOf(this.observed);
	}

	@Override
	public void doFilter(ServletRequest servletRequest, ServletResponse servletResponse, FilterChain chain)
			throws IOException, ServletException {
		HttpServletRequest request = (HttpServletRequest) servletRequest;
		HttpServletResponse response = (HttpServletResponse) servletResponse;
		HttpServletRequest forwarded = request;
		JsonRpcCall call = new JsonRpcCall(request.getMethod().toUpperCase(Locale.ROOT), List.of());
		if ("POST".equalsIgnoreCase(request.getMethod())) {
			CachedBodyRequest cached = CachedBodyRequest.read(request, MAX_BODY_BYTES);
			if (cached == null) {
				writeError(response, 413, "invalid_request", "The request body is too large");
				return;
			}
			forwarded = cached;
			call = JsonRpcCall.of(cached.body());
		}
		String token = bearerToken(request);
		if (token == null) {
			this.observed.add(new ObservedToken(call.method(), null, null, List.of(), null, "", "missing"));
			challengeMissing(request, response);
			return;
		}
		if (admit(request, response, call, token)) {
			chain.doFilter(forwarded, response);
		}
	}

	/**
	 * Verifies the token and the tool scopes; answers the request if they fail.
	 * @return {@code true} to pass the request on to the MCP servlet
	 */
	private boolean admit(HttpServletRequest request, HttpServletResponse response, JsonRpcCall call, String token)
			throws IOException {
		String hash = sha256Hex(token);
		Verification verification = this.verifier.verify(token, resource(request));
		JWTClaimsSet claims = verification.claims();
		String scope = (claims != null) ? scope(claims) : null;
		String rejection = verification.rejection();
		String neededScope = (rejection == null) ? missingScope(call, scope) : null;
		if (neededScope != null) {
			rejection = "insufficient_scope";
		}
		this.observed.add(observation(call, claims, scope, hash, rejection));
		if (rejection == null) {
			request.setAttribute(BearerCaller.CONTEXT_KEY,
					new BearerCaller(String.valueOf(claims.getSubject()), clientId(claims), scope));
			return true;
		}
		logger.debug("Refused {} with token sha256:{}: {}", call.method(), hash.substring(0, 12), rejection);
		if (neededScope != null) {
			challengeScope(request, response, neededScope);
		}
		else if ("keys_unavailable".equals(rejection)) {
			writeError(response, 503, "temporarily_unavailable", verification.description());
		}
		else {
			challengeInvalid(request, response, verification.description());
		}
		return false;
	}

	private @Nullable String missingScope(JsonRpcCall call, @Nullable String scope) {
		List<String> granted = (scope != null) ? List.of(scope.split(" ")) : List.of();
		for (String tool : call.tools()) {
			String needed = this.settings.toolScopes().get(tool);
			if (needed != null && !granted.contains(needed)) {
				return needed;
			}
		}
		return null;
	}

	private static ObservedToken observation(JsonRpcCall call, @Nullable JWTClaimsSet claims, @Nullable String scope,
			String hash, @Nullable String rejection) {
		if (claims == null) {
			return new ObservedToken(call.method(), null, null, List.of(), null, hash, rejection);
		}
		List<String> audience = (claims.getAudience() != null) ? claims.getAudience() : List.of();
		return new ObservedToken(call.method(), claims.getSubject(), clientId(claims), audience, scope, hash,
				rejection);
	}

	/**
	 * The token of the one {@code Authorization: Bearer} header; {@code null} if there is
	 * none, several, another scheme, or a value that is not an RFC 6750 token (the
	 * request then counts as unauthenticated).
	 */
	private static @Nullable String bearerToken(HttpServletRequest request) {
		Enumeration<String> headers = request.getHeaders("Authorization");
		if (headers == null || !headers.hasMoreElements()) {
			return null;
		}
		String value = headers.nextElement();
		if (headers.hasMoreElements() || value.length() < 8 || !value.regionMatches(true, 0, "Bearer ", 0, 7)) {
			return null;
		}
		String token = value.substring(7).trim();
		return B64TOKEN.matcher(token).matches() ? token : null;
	}

	private static @Nullable String scope(JWTClaimsSet claims) {
		Object scope = claims.getClaim("scope");
		if (scope instanceof String text) {
			return text;
		}
		if (scope instanceof Collection<?> values) {
			List<String> scopes = new ArrayList<>();
			values.forEach((value) -> scopes.add(String.valueOf(value)));
			return String.join(" ", scopes);
		}
		return null;
	}

	private static @Nullable String clientId(JWTClaimsSet claims) {
		Object clientId = claims.getClaim("client_id");
		return (clientId instanceof String text) ? text : null;
	}

	private String resource(HttpServletRequest request) {
		return "http://" + LoopbackTomcat.BIND_ADDRESS + ":" + request.getLocalPort() + this.endpoint;
	}

	private String metadataUrl(HttpServletRequest request) {
		return "http://" + LoopbackTomcat.BIND_ADDRESS + ":" + request.getLocalPort() + WELL_KNOWN + this.endpoint;
	}

	private void challengeMissing(HttpServletRequest request, HttpServletResponse response) {
		String challenge = "Bearer resource_metadata=\"" + metadataUrl(request) + "\"";
		if (!this.settings.scopesSupported().isEmpty()) {
			challenge += ", scope=\"" + String.join(" ", this.settings.scopesSupported()) + "\"";
		}
		response.setStatus(HttpServletResponse.SC_UNAUTHORIZED);
		response.setHeader("WWW-Authenticate", challenge);
		response.setHeader("Cache-Control", "no-store");
	}

	private void challengeInvalid(HttpServletRequest request, HttpServletResponse response, String description)
			throws IOException {
		response.setHeader("WWW-Authenticate", "Bearer error=\"invalid_token\", error_description=\"" + description
				+ "\", resource_metadata=\"" + metadataUrl(request) + "\"");
		writeError(response, HttpServletResponse.SC_UNAUTHORIZED, "invalid_token", description);
	}

	private void challengeScope(HttpServletRequest request, HttpServletResponse response, String neededScope)
			throws IOException {
		response.setHeader("WWW-Authenticate", "Bearer error=\"insufficient_scope\", scope=\"" + neededScope
				+ "\", resource_metadata=\"" + metadataUrl(request) + "\"");
		writeError(response, HttpServletResponse.SC_FORBIDDEN, "insufficient_scope",
				"The tool requires scope " + neededScope);
	}

	private static void writeError(HttpServletResponse response, int status, String error, String description)
			throws IOException {
		Map<String, String> body = new LinkedHashMap<>();
		body.put("error", error);
		body.put("error_description", description);
		byte[] bytes = JSON.writeValueAsBytes(body);
		response.setStatus(status);
		response.setContentType("application/json");
		response.setHeader("Cache-Control", "no-store");
		response.setContentLength(bytes.length);
		response.getOutputStream().write(bytes);
	}

	static String sha256Hex(String value) {
		try {
			return HexFormat.of()
				.formatHex(MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8)));
		}
		catch (NoSuchAlgorithmException ex) {
			// Every Java platform is required to provide SHA-256.
			throw new IllegalStateException("SHA-256 is not available", ex);
		}
	}

	/**
	 * What a POST asks for: its JSON-RPC method (of the first message, for an array) and
	 * the tools of its {@code tools/call} messages.
	 */
	record JsonRpcCall(String method, List<String> tools) {

		static JsonRpcCall of(byte[] body) {
			JsonNode json;
			try {
				json = JSON.readTree(body);
			}
			catch (JacksonException ex) {
				return new JsonRpcCall("invalid", List.of());
			}
			List<JsonNode> messages = new ArrayList<>();
			if (json != null && json.isArray()) {
				json.forEach(messages::add);
			}
			else if (json != null && json.isObject()) {
				messages.add(json);
			}
			if (messages.isEmpty()) {
				return new JsonRpcCall("invalid", List.of());
			}
			List<String> tools = new ArrayList<>();
			for (JsonNode message : messages) {
				JsonNode name = message.path("params").path("name");
				if ("tools/call".equals(message.path("method").asString("")) && name.isString()) {
					tools.add(name.stringValue());
				}
			}
			JsonNode first = messages.get(0).get("method");
			String method = (first != null && first.isString()) ? first.stringValue()
					: messages.get(0).has("id") ? "response" : "invalid";
			return new JsonRpcCall(method, tools);
		}

	}

}
