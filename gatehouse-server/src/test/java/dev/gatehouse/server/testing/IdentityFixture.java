package dev.gatehouse.server.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.gatehouse.demo.host.McpServerHost;
import dev.gatehouse.demo.idp.DemoIdentityProvider;
import dev.gatehouse.demo.idp.HeadlessLogin;
import dev.gatehouse.demo.risk.RiskAssessmentServer;
import dev.gatehouse.demo.tools.DemoToolsServer;

/**
 * Real identity for gateway tests: the demo identity provider (Spring Authorization Server) with a key the test
 * also holds, the demo targets, and a gateway that trusts the IdP for agents' tokens and people's login, with the
 * seed article's policy. Tokens come from real logins; crafted variants (expired, wrong issuer, foreign key…) are
 * signed with the IdP's own key or a foreign one.
 */
public final class IdentityFixture implements AutoCloseable {

	public static final String SCOPE = "mcp:tools";

	public static final String GATEWAY_CLIENT_SECRET = "gateway-client-secret-for-tests";

	private final RSAKey key;

	private final DemoIdentityProvider idp;

	private final McpServerHost risk;

	private final McpServerHost demoTools;

	private final TestGateway gateway;

	private final Path policyFile;

	private IdentityFixture(RSAKey key, DemoIdentityProvider idp, McpServerHost risk, McpServerHost demoTools,
			TestGateway gateway, Path policyFile) {
		this.key = key;
		this.idp = idp;
		this.risk = risk;
		this.demoTools = demoTools;
		this.gateway = gateway;
		this.policyFile = policyFile;
	}

	public static IdentityFixture start() {
		return start((builder) -> {
		});
	}

	public static IdentityFixture start(Consumer<TestGateway.Builder> customizer) {
		try {
			RSAKey key = new RSAKeyGenerator(2048).keyID("test-key-1").generate();
			int port = NodeTools.freePort();
			String base = "http://127.0.0.1:" + port;
			DemoIdentityProvider idp = DemoIdentityProvider.builder()
				.signingKey(key)
				.scopes(SCOPE)
				.gatewayClient("gatehouse-web", GATEWAY_CLIENT_SECRET, List.of(base + "/login/oauth2/code/idp"))
				.start();
			McpServerHost risk = RiskAssessmentServer.host("risk-key").start();
			McpServerHost demoTools = DemoToolsServer.host(Clock.systemUTC()).start();
			Path dir = Files.createTempDirectory("gatehouse-identity");
			Path policyFile = dir.resolve("policy.yaml");
			try (InputStream in = IdentityFixture.class.getResourceAsStream("/policy/seed-policy.yaml")) {
				Files.copy(in, policyFile, StandardCopyOption.REPLACE_EXISTING);
			}
			Files.writeString(dir.resolve("risk.key"), "risk-key");
			Path targets = dir.resolve("targets.json");
			Files.writeString(targets, "[{\"name\":\"risk-assessment-mcp\",\"endpoint\":\"" + risk.url()
					+ "\",\"auth\":{\"type\":\"apiKey\",\"header\":\"X-API-Key\",\"key\":\"file:" + dir.resolve("risk.key")
					+ "\"}},{\"name\":\"demo-tools\",\"endpoint\":\"" + demoTools.url() + "\"}]");
			TestGateway.Builder builder = TestGateway.builder()
				.dataDir(dir)
				.property("server.port", port)
				.property("gatehouse.public-url", base)
				.property("gatehouse.access.local-user.enabled", "false")
				.property("gatehouse.access.required-scopes", SCOPE)
				.property("gatehouse.access.policy-file", policyFile.toString())
				.property("gatehouse.targets-file", targets.toString())
				.property("spring.security.oauth2.resourceserver.jwt.issuer-uri", idp.issuer())
				.property("spring.security.oauth2.client.registration.idp.client-id", "gatehouse-web")
				.property("spring.security.oauth2.client.registration.idp.client-secret", GATEWAY_CLIENT_SECRET)
				.property("spring.security.oauth2.client.registration.idp.scope", "openid,profile,email,roles")
				.property("spring.security.oauth2.client.provider.idp.issuer-uri", idp.issuer());
			customizer.accept(builder);
			TestGateway gateway = builder.start();
			IdentityFixture fixture = new IdentityFixture(key, idp, risk, demoTools, gateway, policyFile);
			fixture.awaitCatalog();
			return fixture;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (com.nimbusds.jose.JOSEException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private void awaitCatalog() {
		org.awaitility.Awaitility.await()
			.atMost(java.time.Duration.ofSeconds(30))
			.until(() -> gateway.bean(dev.gatehouse.server.catalog.Catalog.class)
				.snapshot()
				.list(dev.gatehouse.server.catalog.EntryKind.TOOL)
				.size() >= 7);
	}

	public TestGateway gateway() {
		return gateway;
	}

	public DemoIdentityProvider idp() {
		return idp;
	}

	public Path policyFile() {
		return policyFile;
	}

	/** The gateway's resource (the audience its tokens must have). */
	public String resource() {
		return gateway.mcpUrl();
	}

	/** A real access token for a demo user, from a real authorization-code login with PKCE. */
	public String token(String user) {
		return login(user, resource()).accessToken();
	}

	public HeadlessLogin.Tokens login(String user, String resource) {
		HeadlessLogin login = HeadlessLogin.builder(idp.issuer())
			.scope("openid profile email roles " + SCOPE)
			.resource(resource)
			.build();
		return login.login(user, "password");
	}

	/** An MCP client that sends {@code token}. */
	public McpTestClient client(String token) {
		return gateway.client().bearer(token);
	}

	/** A token signed with the IdP's key, with claims the test chooses (a valid base it may change). */
	public String craft(Consumer<JWTClaimsSet.Builder> claims) {
		return craft(key, JWSAlgorithm.RS256, claims);
	}

	public String craft(RSAKey signer, JWSAlgorithm algorithm, Consumer<JWTClaimsSet.Builder> claims) {
		Instant now = Instant.now();
		JWTClaimsSet.Builder builder = new JWTClaimsSet.Builder().issuer(idp.issuer())
			.subject("alice")
			.audience(resource())
			.issueTime(Date.from(now))
			.notBeforeTime(Date.from(now))
			.expirationTime(Date.from(now.plusSeconds(300)))
			.jwtID(UUID.randomUUID().toString())
			.claim("scope", "openid " + SCOPE)
			.claim("client_id", "crafted")
			.claim("roles", List.of("risk-analyst"));
		claims.accept(builder);
		try {
			SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(algorithm).keyID(signer.getKeyID())
				.type(new JOSEObjectType("at+jwt"))
				.build(), builder.build());
			jwt.sign(new RSASSASigner(signer));
			return jwt.serialize();
		}
		catch (com.nimbusds.jose.JOSEException ex) {
			throw new IllegalStateException(ex);
		}
	}

	@Override
	public void close() {
		gateway.close();
		idp.close();
		risk.close();
		demoTools.close();
	}
}
