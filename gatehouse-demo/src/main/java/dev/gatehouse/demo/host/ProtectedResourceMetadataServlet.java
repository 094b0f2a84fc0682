package dev.gatehouse.demo.host;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import tools.jackson.databind.json.JsonMapper;

/**
 * The RFC 9728 protected resource metadata of a bearer-protected host, at both places an
 * MCP client looks: the path-inserted {@code /.well-known/oauth-protected-resource/mcp}
 * (the one the {@code 401} challenge names) and the root
 * {@code /.well-known/oauth-protected-resource}. No token needed; any origin may read it.
 *
 * <pre>{@code
 * {"resource": "http://127.0.0.1:PORT/mcp", "authorization_servers": ["<issuer>"],
 *  "scopes_supported": ["risk:analyze", "data:read"], "bearer_methods_supported": ["header"]}
 * }</pre>
 *
 * @see <a href="https://datatracker.ietf.org/doc/html/rfc9728#section-3">RFC 9728 section
 * 3</a>
 */
final class ProtectedResourceMetadataServlet extends HttpServlet {

	private static final long serialVersionUID = 1L;

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final transient BearerTokenSettings settings;

	private final String endpoint;

	ProtectedResourceMetadataServlet(BearerTokenSettings settings, String endpoint) {
		this.settings = settings;
		this.endpoint = endpoint;
	}

	/** The paths this servlet is mapped to. */
	List<String> mappings() {
		return List.of(BearerTokenFilter.WELL_KNOWN, BearerTokenFilter.WELL_KNOWN + this.endpoint);
	}

	@Override
	protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
		Map<String, Object> metadata = new LinkedHashMap<>();
		metadata.put("resource", "http://" + LoopbackTomcat.BIND_ADDRESS + ":" + request.getLocalPort() + this.endpoint);
		metadata.put("authorization_servers", List.of(this.settings.issuer()));
		metadata.put("scopes_supported", this.settings.scopesSupported());
		metadata.put("bearer_methods_supported", List.of("header"));
		byte[] body = JSON.writeValueAsBytes(metadata);
		response.setStatus(HttpServletResponse.SC_OK);
		response.setContentType("application/json");
		response.setHeader("Access-Control-Allow-Origin", "*");
		response.setContentLength(body.length);
		response.getOutputStream().write(body);
	}

}
