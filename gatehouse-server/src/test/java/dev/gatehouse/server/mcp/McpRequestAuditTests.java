package dev.gatehouse.server.mcp;

import java.nio.file.Files;
import java.time.Duration;
import java.util.List;

import dev.gatehouse.server.testing.IdentityFixture;
import dev.gatehouse.server.testing.McpTestClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Every MCP request that names a target's prompt or resource is audited like a tool call ({@code mcp_request}):
 * {@code prompts/get}, {@code resources/read}, {@code resources/subscribe} and {@code unsubscribe},
 * {@code completion/complete}, whether it reached the target, was denied by the policy (recorded with the rule and
 * reason, answered like a missing one) or named nothing. A request that reached its target has its record stored
 * before its answer arrives: each is looked up the moment the answer is in, without waiting.
 */
class McpRequestAuditTests {

	static IdentityFixture fixture;

	static McpTestClient alice;

	static McpTestClient bob;

	@BeforeAll
	static void start() throws Exception {
		fixture = IdentityFixture.start();
		String policy = Files.readString(fixture.policyFile());
		Files.writeString(fixture.policyFile(), policy.replace("rules:\n", """
				rules:
				  - {id: no-demo-content-for-finance, effect: deny, roles: [finance-analyst], targets: [demo-tools], \
				prompts: [summarize], resources: ["demo://*"]}
				"""));
		alice = fixture.client(fixture.token("alice"));
		alice.initialize("2025-11-25", "{}");
		bob = fixture.client(fixture.token("bob"));
		bob.initialize("2025-11-25", "{}");
		await().atMost(Duration.ofSeconds(20)).until(() -> bob.request("prompts/get",
				"{\"name\":\"demo-tools___summarize\",\"arguments\":{\"text\":\"x\"}}").json().has("error"));
	}

	@AfterAll
	static void stop() {
		fixture.close();
	}

	@Test
	void requestsThatReachTheTargetAreRecordedBeforeTheirAnswerArrives() {
		alice.result("prompts/get", "{\"name\":\"demo-tools___summarize\",\"arguments\":{\"text\":\"audit me\"}}");
		assertThat(latest("prompts/get", "alice")).contains("\"outcome\":\"success\"")
			.contains("\"name\":\"demo-tools___summarize\"").contains("\"upstream_name\":\"summarize\"")
			.contains("\"target\":\"demo-tools\"").contains("\"rule\":\"everyone-demo-tools\"");

		JsonNode read = alice.result("resources/read", "{\"uri\":\"demo-tools+demo://readme\"}");
		assertThat(read.toString()).contains("demo-tools+demo://readme");
		assertThat(latest("resources/read", "alice")).contains("\"outcome\":\"success\"")
			.contains("\"upstream_name\":\"demo://readme\"");

		alice.request("completion/complete", "{\"ref\":{\"type\":\"ref/prompt\",\"name\":\"demo-tools___summarize\"},"
				+ "\"argument\":{\"name\":\"text\",\"value\":\"a\"}}");
		assertThat(latest("completion/complete", "alice")).contains("\"target\":\"demo-tools\"")
			.containsAnyOf("\"outcome\":\"success\"", "\"outcome\":\"error\"");

		alice.request("resources/subscribe", "{\"uri\":\"demo-tools+demo://readme\"}");
		assertThat(latest("resources/subscribe", "alice")).contains("\"target\":\"demo-tools\"");
		alice.result("resources/unsubscribe", "{\"uri\":\"demo-tools+demo://readme\"}");
		assertThat(latest("resources/unsubscribe", "alice")).contains("\"outcome\":\"success\"");
		assertThat(jdbc().sql("select count(*) from audit_in_flight").query(Long.class).single())
			.as("no call is left marked as under way").isZero();
	}

	@Test
	void requestsThePolicyDeniesAreAnsweredLikeMissingOnesAndRecordedWithTheRule() {
		long before = jdbc().sql("select max(seq) from audit_record").query(Long.class).single();
		JsonNode prompt = bob.request("prompts/get", "{\"name\":\"demo-tools___summarize\",\"arguments\":{\"text\":\"x\"}}")
			.error();
		JsonNode missing = bob.request("prompts/get", "{\"name\":\"demo-tools___nope\",\"arguments\":{}}").error();
		assertThat(prompt.get("message").asString()).isEqualTo("Unknown prompt: demo-tools___summarize");
		assertThat(prompt.get("code").asInt()).isEqualTo(missing.get("code").asInt());
		JsonNode resource = bob.request("resources/read", "{\"uri\":\"demo-tools+demo://readme\"}").error();
		assertThat(resource.get("message").asString()).isEqualTo("Resource not found: demo-tools+demo://readme");
		bob.request("completion/complete", "{\"ref\":{\"type\":\"ref/prompt\",\"name\":\"demo-tools___summarize\"},"
				+ "\"argument\":{\"name\":\"text\",\"value\":\"a\"}}");

		List<String> denied = records(
				"seq > " + before + " and subject = 'bob' and record like '%\"outcome\":\"denied\"%'");
		assertThat(denied).anySatisfy((r) -> assertThat(r).contains("\"method\":\"prompts/get\"")
			.contains("\"rule\":\"no-demo-content-for-finance\"").contains("\"decision\":\"deny\""))
			.anySatisfy((r) -> assertThat(r).contains("\"method\":\"resources/read\""))
			.anySatisfy((r) -> assertThat(r).contains("\"method\":\"completion/complete\""));
		assertThat(records("seq > " + before + " and subject = 'bob' and record like '%\"outcome\":\"not_found\"%'"))
			.anySatisfy((r) -> assertThat(r).contains("\"name\":\"demo-tools___nope\""));
		assertThat(jdbc()
			.sql("select count(*) from audit_record where type = 'mcp_request' and subject = 'bob' and seq > ? and "
					+ "record like '%\"outcome\":\"success\"%'")
			.param(before)
			.query(Long.class).single()).as("nothing bob was denied reached the target").isZero();
	}

	/** The newest mcp_request record of the method and user, read at once: it must already be stored. */
	private static String latest(String method, String subject) {
		List<String> found = records("subject = '" + subject + "' and record like '%\"method\":\"" + method + "\"%'");
		assertThat(found).as("the %s record is stored when its answer arrives", method).isNotEmpty();
		return found.get(found.size() - 1);
	}

	private static List<String> records(String where) {
		return jdbc().sql("select record from audit_record where type = 'mcp_request' and " + where + " order by seq")
			.query(String.class)
			.list();
	}

	private static JdbcClient jdbc() {
		return fixture.gateway().bean(JdbcClient.class);
	}
}
