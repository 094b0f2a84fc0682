package dev.gatehouse.server.admin;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import dev.gatehouse.server.testing.AdminClient;
import dev.gatehouse.server.testing.AdminClient.Response;
import dev.gatehouse.server.testing.McpTestClient;
import dev.gatehouse.server.testing.TestGateway;
import dev.gatehouse.server.testing.TestUpstream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * {@code /admin/api/targets}: targets in the seed's registry schema, validated field by field, with RFC 9457
 * problems that name the field and leave everything unchanged; and targets from a file.
 */
class TargetsAdminTests {

	static final String SEED_EXAMPLE = "{\"name\":\"risk-assessment-mcp\",\"endpoint\":\"https://mcp.example.com/api/v1\","
			+ "\"auth\":{\"type\":\"oauth2\",\"authorizationUrl\":\"https://idp.example.com/authorize\","
			+ "\"tokenUrl\":\"https://idp.example.com/token\",\"scopes\":[\"risk:analyze\",\"data:read\"],"
			+ "\"clientId\":\"gatehouse\",\"clientSecret\":\"env:RISK_CLIENT_SECRET\"}}";

	@TempDir
	static Path dir;

	static Path targetsFile;

	static TestUpstream keyed;

	static TestGateway gateway;

	static AdminClient admin;

	@BeforeAll
	static void start() throws Exception {
		keyed = TestUpstream.start(0, "X-API-Key", "s3cret-key-value");
		Files.writeString(dir.resolve("upstream.key"), "s3cret-key-value\n");
		targetsFile = dir.resolve("targets.yaml");
		Files.writeString(targetsFile, """
				- name: from-file
				  endpoint: %s
				  description: Defined in YAML
				  auth:
				    type: apiKey
				    header: X-API-Key
				    key: file:%s
				""".formatted(keyed.url(), dir.resolve("upstream.key")));
		gateway = TestGateway.builder().property("gatehouse.targets-file", targetsFile.toString()).start();
		admin = gateway.admin();
	}

	@AfterAll
	static void stop() {
		gateway.close();
		keyed.close();
	}

	@Test
	void createAcceptsTheSeedArticlesSchemaVerbatimAndReturnsItWithReferencesOnly() {
		Response created = admin.post("/admin/api/targets", SEED_EXAMPLE);
		assertThat(created.status()).isEqualTo(201);
		assertThat(created.etag()).isEqualTo("\"1\"");
		JsonNode body = created.json();
		assertThat(body.get("auth").get("scopes").toString()).isEqualTo("[\"risk:analyze\",\"data:read\"]");
		assertThat(body.get("auth").get("clientSecret").asString()).isEqualTo("env:RISK_CLIENT_SECRET");
		assertThat(admin.get("/admin/api/targets/risk-assessment-mcp").json()).isEqualTo(body);
		assertThat(admin.delete("/admin/api/targets/risk-assessment-mcp").status()).isEqualTo(204);
		assertThat(admin.get("/admin/api/targets/risk-assessment-mcp").status()).isEqualTo(404);
	}

	@Test
	void createWhenFieldsAreInvalidThenProblemNamingEachFieldAndNothingStored() {
		String before = admin.get("/admin/api/targets").body();
		Response reply = admin.post("/admin/api/targets", "{\"name\":\"Bad_Name\",\"endpoint\":\"ftp://x.example.com\","
				+ "\"auth\":{\"type\":\"oauth2\",\"tokenUrl\":\"javascript:alert(1)\",\"scopes\":[\"a b\"],\"tokenUrll\":\"x\"}}");
		assertThat(reply.status()).isEqualTo(400);
		assertThat(reply.contentType()).startsWith("application/problem+json");
		JsonNode problem = reply.json();
		assertThat(problem.get("type").asString()).isEqualTo("https://gatehouse.dev/problems/invalid-target");
		assertThat(problem.get("status").asInt()).isEqualTo(400);
		assertThat(fields(problem)).contains("name", "endpoint", "auth.tokenUrl", "auth.scopes[0]", "auth.tokenUrll");
		assertThat(admin.get("/admin/api/targets").body()).isEqualTo(before);
	}

	@Test
	void createWhenASecretIsGivenLiterallyThenRefusedWithoutEchoingIt() {
		Response reply = admin.post("/admin/api/targets", "{\"name\":\"leaky\",\"endpoint\":\"https://x.example.com/mcp\","
				+ "\"auth\":{\"type\":\"apiKey\",\"key\":\"sk-live-DO-NOT-ECHO\"}}");
		assertThat(reply.status()).isEqualTo(400);
		assertThat(fields(reply.json())).containsExactly("auth.key");
		assertThat(reply.body()).doesNotContain("sk-live-DO-NOT-ECHO");
		assertThat(admin.get("/admin/api/targets/leaky").status()).isEqualTo(404);
	}

	@Test
	void createWhenNameIsTakenThenConflictAndTheFirstIsUnchanged() {
		String target = "{\"name\":\"twice\",\"endpoint\":\"https://one.example.com/mcp\",\"enabled\":false}";
		assertThat(admin.post("/admin/api/targets", target).status()).isEqualTo(201);
		Response again = admin.post("/admin/api/targets",
				"{\"name\":\"twice\",\"endpoint\":\"https://two.example.com/mcp\",\"enabled\":false}");
		assertThat(again.status()).isEqualTo(409);
		assertThat(fields(again.json())).containsExactly("name");
		assertThat(admin.get("/admin/api/targets/twice").json().get("endpoint").asString())
			.isEqualTo("https://one.example.com/mcp");
		admin.delete("/admin/api/targets/twice");
	}

	@Test
	void malformedJsonAndWrongMediaTypeAreProblemsToo() {
		Response malformed = admin.post("/admin/api/targets", "{\"name\":");
		assertThat(malformed.status()).isEqualTo(400);
		assertThat(malformed.json().get("type").asString()).endsWith("/malformed-json");
		Response notAnObject = admin.post("/admin/api/targets", "[1,2]");
		assertThat(notAnObject.status()).isEqualTo(400);
		assertThat(fields(notAnObject.json())).containsExactly("$");
	}

	@Test
	void updateIsConditionalAndCannotRename() {
		admin.post("/admin/api/targets", "{\"name\":\"editable\",\"endpoint\":\"https://a.example.com/mcp\",\"enabled\":false}");
		Response updated = admin.put("/admin/api/targets/editable",
				"{\"endpoint\":\"https://b.example.com/mcp\",\"enabled\":false,\"description\":\"moved\"}");
		assertThat(updated.status()).isEqualTo(200);
		assertThat(updated.etag()).isEqualTo("\"2\"");
		assertThat(updated.json().get("description").asString()).isEqualTo("moved");
		Response renamed = admin.put("/admin/api/targets/editable",
				"{\"name\":\"other\",\"endpoint\":\"https://c.example.com/mcp\"}");
		assertThat(renamed.status()).isEqualTo(400);
		assertThat(fields(renamed.json())).containsExactly("name");
		Response invalid = admin.put("/admin/api/targets/editable", "{\"endpoint\":\"not a url\"}");
		assertThat(invalid.status()).isEqualTo(400);
		assertThat(admin.get("/admin/api/targets/editable").json().get("endpoint").asString())
			.isEqualTo("https://b.example.com/mcp");
		assertThat(admin.put("/admin/api/targets/missing", "{\"endpoint\":\"https://x.example.com\"}").status())
			.isEqualTo(404);
		admin.delete("/admin/api/targets/editable");
	}

	@Test
	void targetsFromTheFileAreServedAndReadOnlyThroughTheApi() {
		Response status = admin.get("/admin/api/targets/from-file/status");
		assertThat(status.json().get("source").asString()).isEqualTo("file");
		Response put = admin.put("/admin/api/targets/from-file", "{\"endpoint\":\"https://x.example.com/mcp\"}");
		assertThat(put.status()).isEqualTo(409);
		assertThat(put.json().get("detail").asString()).contains("targets file");
		assertThat(admin.delete("/admin/api/targets/from-file").status()).isEqualTo(409);
		assertThat(admin.get("/admin/api/targets/from-file").json().get("auth").get("key").asString())
			.startsWith("file:").doesNotContain("s3cret");
	}

	@Test
	void apiKeyTargetGetsItsKeyFromTheReferenceAndTheAgentNeverSeesIt() {
		admin.post("/admin/api/targets/from-file/sync", "");
		McpTestClient client = gateway.client();
		client.initialize();
		int before = keyed.calls();
		McpTestClient.Reply reply = client.request("tools/call", "{\"name\":\"from-file___count\",\"arguments\":{}}");
		assertThat(reply.response().get("result").get("content").get(0).get("text").asString()).startsWith("call ");
		assertThat(keyed.calls()).isEqualTo(before + 1);
		assertThat(reply.body()).doesNotContain("s3cret");
		assertThat(client.result("tools/list", "{}").toString()).doesNotContain("s3cret");
	}

	@Test
	void callWhenTheKeyFileIsGoneThenErrorWithoutTheLocationAndNoUpstreamCall() throws Exception {
		Path keyFile = dir.resolve("vanishing.key");
		Files.writeString(keyFile, "s3cret-key-value");
		admin.register("{\"name\":\"vanishing\",\"endpoint\":\"" + keyed.url() + "\",\"auth\":{\"type\":\"apiKey\","
				+ "\"header\":\"X-API-Key\",\"key\":\"file:" + keyFile + "\"}}");
		Files.delete(keyFile);
		McpTestClient client = gateway.client();
		client.initialize();
		// The file is re-read at most every 5 seconds (so a rotated key is picked up without restart).
		await().atMost(Duration.ofSeconds(15)).until(() -> client.request("tools/call",
				"{\"name\":\"vanishing___count\",\"arguments\":{}}").response().has("error"));
		JsonNode error = client.request("tools/call", "{\"name\":\"vanishing___count\",\"arguments\":{}}").error();
		assertThat(error.get("code").asInt()).isEqualTo(-32603);
		assertThat(error.get("message").asString()).contains("Target 'vanishing' cannot be called");
		assertThat(error.toString()).doesNotContain("vanishing.key").doesNotContain(dir.toString());
		assertThat(error.get("data").get("reason").asString()).isEqualTo("credential_unavailable");
		int after = keyed.calls();
		client.request("tools/call", "{\"name\":\"vanishing___count\",\"arguments\":{}}");
		assertThat(keyed.calls()).isEqualTo(after);
		admin.delete("/admin/api/targets/vanishing");
	}

	@Test
	void changingTheTargetsFileIsAppliedWithoutRestart() throws Exception {
		String original = Files.readString(targetsFile);
		Files.writeString(targetsFile, original + """
				- name: added-later
				  endpoint: https://later.example.com/mcp
				  enabled: false
				""");
		await().atMost(Duration.ofSeconds(20)).until(() -> admin.get("/admin/api/targets/added-later").status() == 200);
		Files.writeString(targetsFile, original);
		await().atMost(Duration.ofSeconds(20)).until(() -> admin.get("/admin/api/targets/added-later").status() == 404);
	}

	@Test
	void startWhenTheTargetsFileIsInvalidThenFailsNamingTheEntryAndField(@TempDir Path other) throws Exception {
		Path bad = other.resolve("targets.json");
		Files.writeString(bad, "[{\"name\":\"ok\",\"endpoint\":\"https://ok.example.com\"},"
				+ "{\"name\":\"bad\",\"endpoint\":\"http://203.0.113.9/mcp\"}]");
		assertThatThrownBy(() -> TestGateway.builder().dataDir(other).property("gatehouse.targets-file", bad.toString()).start())
			.hasStackTraceContaining("targets[1].endpoint");
	}

	static java.util.List<String> fields(JsonNode problem) {
		java.util.List<String> fields = new java.util.ArrayList<>();
		problem.get("errors").forEach((e) -> fields.add(e.get("field").asString()));
		return fields;
	}
}
