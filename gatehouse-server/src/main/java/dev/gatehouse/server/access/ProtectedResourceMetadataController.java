package dev.gatehouse.server.access;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * RFC 9728 protected resource metadata: how an MCP client that got a 401 from {@code /mcp} finds the
 * authorization server to log in with. Published at the path-inserted URL
 * ({@code /.well-known/oauth-protected-resource/mcp}, the one every 401 names) and at the root.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc9728">RFC 9728</a>
 * @see <a href="https://modelcontextprotocol.io/specification/2025-11-25/basic/authorization">MCP authorization</a>
 */
@RestController
class ProtectedResourceMetadataController {

	private final AccessSettings settings;

	ProtectedResourceMetadataController(AccessSettings settings) {
		this.settings = settings;
	}

	@GetMapping(path = { "/.well-known/oauth-protected-resource", "/.well-known/oauth-protected-resource/mcp" },
			produces = MediaType.APPLICATION_JSON_VALUE)
	ResponseEntity<Map<String, Object>> metadata() {
		Map<String, Object> metadata = new LinkedHashMap<>();
		metadata.put("resource", settings.resource().toString());
		metadata.put("authorization_servers", settings.issuerUris());
		if (!settings.scopesSupported().isEmpty()) {
			metadata.put("scopes_supported", settings.scopesSupported());
		}
		metadata.put("bearer_methods_supported", List.of("header"));
		metadata.put("resource_name", "Gatehouse MCP gateway");
		metadata.put("tls_client_certificate_bound_access_tokens", false);
		return ResponseEntity.ok().cacheControl(CacheControl.maxAge(java.time.Duration.ofMinutes(5))).body(metadata);
	}
}
