package dev.gatehouse.server.credentials;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import dev.gatehouse.demo.host.McpServerHost;
import dev.gatehouse.demo.idp.DemoIdentityProvider;
import dev.gatehouse.demo.idp.HeadlessLogin;
import dev.gatehouse.demo.tools.DemoToolsServer;
import dev.gatehouse.server.testing.McpTestClient;
import dev.gatehouse.server.testing.NodeTools;
import dev.gatehouse.server.testing.ScriptedBrowser;
import dev.gatehouse.server.testing.TestGateway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class ConsentFlowSmokeTests {

	static DemoIdentityProvider idp;

	static McpServerHost tools;

	static TestGateway gateway;

	@BeforeAll
	static void start() throws Exception {
		int port = NodeTools.freePort();
		String base = "http://127.0.0.1:" + port;
		idp = DemoIdentityProvider.builder()
			.scopes("mcp:tools", "demo:use")
			.gatewayClient("gatehouse-web", "web-secret",
					List.of(base + "/login/oauth2/code/idp", base + "/oauth/callback/tools-oauth"))
			.start();
		tools = DemoToolsServer.host(Clock.systemUTC()).start();
		Path dir = Files.createTempDirectory("gatehouse-consent");
		Files.writeString(dir.resolve("secret"), "web-secret");
		Files.writeString(dir.resolve("policy.yaml"), """
				mode: enforce
				roleMappings: [{claim: roles, value: "*"}]
				rules: [{id: everyone, effect: allow, roles: ["*"], targets: ["*"]}]
				""");
		Path targets = dir.resolve("targets.json");
		Files.writeString(targets, "[{\"name\":\"tools-oauth\",\"endpoint\":\"" + tools.url() + "\",\"auth\":{\"type\":"
				+ "\"oauth2\",\"authorizationUrl\":\"" + idp.issuer() + "/oauth2/authorize\",\"tokenUrl\":\"" + idp.issuer()
				+ "/oauth2/token\",\"scopes\":[\"demo:use\"],\"clientId\":\"gatehouse-web\",\"clientSecret\":\"file:"
				+ dir.resolve("secret") + "\"}}]");
		gateway = TestGateway.builder()
			.dataDir(dir)
			.property("server.port", port)
			.property("gatehouse.public-url", base)
			.property("gatehouse.access.local-user.enabled", "false")
			.property("gatehouse.access.policy-file", dir.resolve("policy.yaml").toString())
			.property("gatehouse.targets-file", targets.toString())
			.property("spring.security.oauth2.resourceserver.jwt.issuer-uri", idp.issuer())
			.property("spring.security.oauth2.client.registration.idp.client-id", "gatehouse-web")
			.property("spring.security.oauth2.client.registration.idp.client-secret", "web-secret")
			.property("spring.security.oauth2.client.registration.idp.scope", "openid,profile,email,roles")
			.property("spring.security.oauth2.client.provider.idp.issuer-uri", idp.issuer())
			.start();
	}

	@AfterAll
	static void stop() {
		gateway.close();
		tools.close();
		idp.close();
	}

	@Test
	void connectToolLeadsThroughConsentToTheRealTools() {
		String token = HeadlessLogin.builder(idp.issuer()).scope("openid mcp:tools").resource(gateway.mcpUrl()).build()
			.login("alice", "password").accessToken();
		McpTestClient agent = gateway.client().bearer(token);
		agent.initialize("2025-11-25", "{}");
		JsonNode list = agent.result("tools/list", "{}");
		assertThat(list.toString()).contains("tools-oauth___connect");
		JsonNode answer = agent.result("tools/call", "{\"name\":\"tools-oauth___connect\",\"arguments\":{}}");
		assertThat(answer.get("isError").asBoolean()).isTrue();
		String text = answer.get("content").get(0).get("text").asString();
		String link = text.substring(text.indexOf("http"), text.indexOf('\n', text.indexOf("http")));
		ScriptedBrowser browser = new ScriptedBrowser();
		ScriptedBrowser.Page login = browser.open(link);
		assertThat(login.isAt(idp.issuer() + "/login")).as(login.body()).isTrue();
		ScriptedBrowser.Page consent = browser.login(login, "alice", "password");
		assertThat(consent.body()).as(consent.url().toString()).contains("Connect").contains("demo:use");
		ScriptedBrowser.Page result = browser.submit(consent, "form[action*=connect]", Map.of("decision", "connect"));
		assertThat(result.body()).as(result.hops().toString()).contains("data-outcome=\"connected\"");
		await().atMost(Duration.ofSeconds(20)).until(() -> agent.result("tools/list", "{}").toString().contains("tools-oauth___add"));
		JsonNode sum = agent.result("tools/call", "{\"name\":\"tools-oauth___add\",\"arguments\":{\"a\":2,\"b\":3}}");
		assertThat(sum.toString()).contains("5");
	}
}
