package dev.gatehouse.core.oauth;

import java.net.URI;
import java.util.List;

import dev.gatehouse.core.target.UrlRules;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MetadataTests {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final UrlRules URLS = new UrlRules(true);

	@Test
	void authorizationServerDiscoveryUrlsFollowTheMcpOrder() {
		assertThat(AuthorizationServerMetadata.discoveryUrls("https://as.example.com/tenant1")).containsExactly(
				URI.create("https://as.example.com/.well-known/oauth-authorization-server/tenant1"),
				URI.create("https://as.example.com/.well-known/openid-configuration/tenant1"),
				URI.create("https://as.example.com/tenant1/.well-known/openid-configuration"));
		assertThat(AuthorizationServerMetadata.discoveryUrls("https://as.example.com")).containsExactly(
				URI.create("https://as.example.com/.well-known/oauth-authorization-server"),
				URI.create("https://as.example.com/.well-known/openid-configuration"));
	}

	@Test
	void authorizationServerMetadataIsReadAndChecked() {
		AuthorizationServerMetadata metadata = AuthorizationServerMetadata.parse(JSON.readTree("""
				{"issuer":"https://as.example.com","authorization_endpoint":"https://as.example.com/authorize",
				 "token_endpoint":"https://as.example.com/token","code_challenge_methods_supported":["S256"],
				 "authorization_response_iss_parameter_supported":true,
				 "token_endpoint_auth_methods_supported":["client_secret_post"]}"""), "https://as.example.com", URLS);
		assertThat(metadata.supportsPkceS256()).isTrue();
		assertThat(metadata.issParameterSupported()).isTrue();
		assertThat(metadata.supportsAuthMethod("client_secret_post")).isTrue();
		assertThat(metadata.supportsAuthMethod("client_secret_basic")).isFalse();
	}

	@Test
	void authorizationServerMetadataWhenIssuerDiffersThenRefused() {
		assertThatThrownBy(() -> AuthorizationServerMetadata.parse(JSON.readTree("""
				{"issuer":"https://evil.example.com","token_endpoint":"https://evil.example.com/token"}"""),
				"https://as.example.com", URLS)).isInstanceOf(InvalidMetadataException.class)
			.hasMessageContaining("names another issuer");
	}

	@Test
	void authorizationServerMetadataWhenAnEndpointIsNotHttpsThenRefused() {
		assertThatThrownBy(() -> AuthorizationServerMetadata.parse(JSON.readTree("""
				{"issuer":"https://as.example.com","token_endpoint":"http://as.example.com/token"}"""),
				"https://as.example.com", URLS)).hasMessageContaining("token_endpoint must use https");
		assertThatThrownBy(() -> AuthorizationServerMetadata.parse(JSON.readTree("""
				{"issuer":"https://as.example.com","token_endpoint":"javascript:alert(1)"}"""),
				"https://as.example.com", URLS)).hasMessageContaining("token_endpoint");
		assertThatThrownBy(() -> AuthorizationServerMetadata.parse(JSON.readTree("""
				{"issuer":"https://as.example.com"}"""), "https://as.example.com", URLS))
			.hasMessageContaining("has no token_endpoint");
	}

	@Test
	void authorizationServerWithoutPkceS256IsFlagged() {
		AuthorizationServerMetadata metadata = AuthorizationServerMetadata.parse(JSON.readTree("""
				{"issuer":"https://as.example.com","token_endpoint":"https://as.example.com/token",
				 "code_challenge_methods_supported":["plain"]}"""), "https://as.example.com", URLS);
		assertThat(metadata.supportsPkceS256()).isFalse();
		assertThat(metadata.supportsAuthMethod("client_secret_basic")).isTrue();
	}

	@Test
	void protectedResourceDiscoveryUrlsStartWithTheChallenge() {
		URI endpoint = URI.create("https://mcp.example.com/api/v1");
		assertThat(ProtectedResourceMetadata.discoveryUrls(endpoint,
				URI.create("https://mcp.example.com/.well-known/oauth-protected-resource/x")))
			.containsExactly(URI.create("https://mcp.example.com/.well-known/oauth-protected-resource/x"),
					URI.create("https://mcp.example.com/.well-known/oauth-protected-resource/api/v1"),
					URI.create("https://mcp.example.com/.well-known/oauth-protected-resource"));
		assertThat(ProtectedResourceMetadata.discoveryUrls(URI.create("https://mcp.example.com"), null))
			.containsExactly(URI.create("https://mcp.example.com/.well-known/oauth-protected-resource"));
	}

	@Test
	void protectedResourceMetadataMustBeForTheEndpoint() {
		URI endpoint = URI.create("https://mcp.example.com/api/v1");
		ProtectedResourceMetadata metadata = ProtectedResourceMetadata.parse(JSON.readTree("""
				{"resource":"https://MCP.example.com:443/api","authorization_servers":["https://as.example.com"],
				 "scopes_supported":["data:read"]}"""), endpoint, URLS);
		assertThat(metadata.authorizationServers()).containsExactly("https://as.example.com");
		assertThat(metadata.scopesSupported()).containsExactly("data:read");
		assertThatThrownBy(() -> ProtectedResourceMetadata.parse(JSON.readTree("""
				{"resource":"https://other.example.com/api/v1","authorization_servers":["https://as.example.com"]}"""),
				endpoint, URLS)).hasMessageContaining("is for another resource");
		assertThatThrownBy(() -> ProtectedResourceMetadata.parse(JSON.readTree("""
				{"resource":"https://mcp.example.com/api/v10","authorization_servers":["https://as.example.com"]}"""),
				URI.create("https://mcp.example.com/api/v1"), URLS)).hasMessageContaining("another resource");
		assertThatThrownBy(() -> ProtectedResourceMetadata.parse(JSON.readTree("""
				{"resource":"https://mcp.example.com/api/v1","authorization_servers":[]}"""), endpoint, URLS))
			.hasMessageContaining("names no authorization_servers");
		assertThatThrownBy(() -> ProtectedResourceMetadata.parse(JSON.readTree("""
				{"resource":"https://mcp.example.com/api/v1","authorization_servers":["http://10.0.0.1/"]}"""),
				endpoint, URLS)).hasMessageContaining("must use https");
	}

	@Test
	void bearerChallengeParametersAreRead() {
		BearerChallenge challenge = BearerChallenge.parse(List.of("Basic realm=\"x\"",
				"Bearer error=\"insufficient_scope\", scope=\"risk:analyze data:read\", "
						+ "resource_metadata=\"https://mcp.example.com/.well-known/oauth-protected-resource\", Foo=bar"))
			.orElseThrow();
		assertThat(challenge.error()).isEqualTo("insufficient_scope");
		assertThat(challenge.scopes()).containsExactly("risk:analyze", "data:read");
		assertThat(challenge.resourceMetadata())
			.isEqualTo("https://mcp.example.com/.well-known/oauth-protected-resource");
		assertThat(challenge.get("FOO")).isEqualTo("bar");
		assertThat(BearerChallenge.parse(List.of("Basic realm=\"x\", Bearer realm=\"y\""))).isPresent()
			.get()
			.extracting((c) -> c.get("realm"))
			.isEqualTo("y");
		assertThat(BearerChallenge.parse(List.of("Basic realm=\"x\""))).isEmpty();
		assertThat(BearerChallenge.parse(List.of("Bearer"))).get().extracting(BearerChallenge::error).isNull();
		assertThat(BearerChallenge.parse(List.of("Bearer error=\"a\\\"b\""))).get()
			.extracting(BearerChallenge::error)
			.isEqualTo("a\"b");
	}

	@Test
	void authorizationRequestCarriesPkceStateAndResource() {
		AuthorizationRequest request = new AuthorizationRequest(URI.create("https://as.example.com/authorize?tenant=a"),
				"gatehouse", URI.create("https://gw.example.com/oauth/callback/risk"), List.of("data:read", "risk:analyze"),
				"STATE", new PkceChallenge("CH"), URI.create("https://mcp.example.com/api/v1"));
		assertThat(request.toUri().toString()).isEqualTo("https://as.example.com/authorize?tenant=a&response_type=code"
				+ "&client_id=gatehouse&redirect_uri=https%3A%2F%2Fgw.example.com%2Foauth%2Fcallback%2Frisk"
				+ "&scope=data%3Aread%20risk%3Aanalyze&state=STATE&code_challenge=CH&code_challenge_method=S256"
				+ "&resource=https%3A%2F%2Fmcp.example.com%2Fapi%2Fv1");
	}

	@Test
	void clientRegistrationResponseIsRead() {
		ClientRegistration registration = ClientRegistration.parse(JSON.readTree("""
				{"client_id":"abc","client_secret":"s3cret","client_secret_expires_at":0,
				 "token_endpoint_auth_method":"client_secret_post","redirect_uris":["https://gw/cb"]}"""),
				"https://as.example.com", "client_secret_basic", URLS);
		assertThat(registration.clientId()).isEqualTo("abc");
		assertThat(registration.clientSecret().reveal()).isEqualTo("s3cret");
		assertThat(registration.secretExpiresAt()).isNull();
		assertThat(registration.tokenEndpointAuthMethod()).isEqualTo("client_secret_post");
		assertThat(registration.toString()).doesNotContain("s3cret");
		assertThatThrownBy(() -> ClientRegistration.parse(JSON.readTree("{\"client_id\":\"abc\"}"),
				"https://as.example.com", "client_secret_basic", URLS)).hasMessageContaining("no client_secret");
	}
}
