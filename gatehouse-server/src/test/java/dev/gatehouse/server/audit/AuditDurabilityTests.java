package dev.gatehouse.server.audit;

import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import dev.gatehouse.server.testing.McpTestClient;
import dev.gatehouse.server.testing.Postgres;
import dev.gatehouse.server.testing.TestGateway;
import dev.gatehouse.server.testing.TestUpstream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A call's answer waits for its record (ADR 0014), made visible by holding the chain head's row lock in
 * PostgreSQL, so that the writer cannot commit: the answer is held while the record is not stored, and withheld
 * (an error naming why) once {@code gatehouse.audit.durable-timeout} has passed, the record still being written
 * when the lock goes. A call under way is marked in {@code audit_in_flight} with its provisional record, and the
 * mark goes with the call's record.
 */
class AuditDurabilityTests {

	TestUpstream upstream;

	TestGateway gateway;

	String database;

	McpTestClient agent;

	@BeforeEach
	void start() {
		upstream = TestUpstream.start();
		database = Postgres.newDatabase();
		gateway = TestGateway.builder().postgres(database).property("gatehouse.audit.durable-timeout", "2s").start();
		gateway.admin().register("{\"name\":\"up\",\"endpoint\":\"" + upstream.url() + "\"}");
		agent = gateway.client();
		agent.initialize();
	}

	@AfterEach
	void stop() {
		gateway.close();
		upstream.close();
	}

	@Test
	void anAnswerIsHeldUntilItsRecordIsStored() throws Exception {
		CompletableFuture<JsonNode> answer;
		try (Connection lock = Postgres.lockAuditChainHead(database)) {
			answer = CompletableFuture.supplyAsync(() -> agent.request("tools/call",
					"{\"name\":\"up___count\",\"arguments\":{}}").response());
			await().atMost(Duration.ofSeconds(10)).until(() -> upstream.calls() == 1);
			Thread.sleep(500);
			assertThat(answer).as("the target answered, the record is not stored: no answer yet").isNotDone();
		}
		JsonNode reply = answer.get();
		assertThat(reply.toString()).contains("call 1");
		assertThat(records("outcome = 'success'")).as("stored before the answer arrived").hasSize(1);
	}

	@Test
	void anAnswerWhoseRecordIsNotStoredInTimeIsWithheldAndTheRecordStillWritten() throws Exception {
		JsonNode reply;
		try (Connection lock = Postgres.lockAuditChainHead(database)) {
			reply = agent.request("tools/call", "{\"name\":\"up___echo\",\"arguments\":{\"text\":\"secret answer\"}}")
				.response();
			assertThat(records("1 = 1")).isEmpty();
		}
		assertThat(reply.get("error").get("code").asInt()).isEqualTo(-32603);
		assertThat(reply.get("error").get("message").asString()).contains("could not store this call's audit record")
			.contains("withheld");
		assertThat(reply.toString()).as("the answer did not leave").doesNotContain("secret answer");
		await().atMost(Duration.ofSeconds(10)).until(() -> records("outcome = 'success'").size() == 1);
	}

	@Test
	void aCallUnderWayIsMarkedWithItsProvisionalRecordAndTheMarkGoesWithItsRecord() throws Exception {
		CompletableFuture<JsonNode> slow = CompletableFuture.supplyAsync(() -> agent.request("tools/call",
				"{\"name\":\"up___slow\",\"arguments\":{\"ms\":2000}}").response());

		List<Map<String, Object>> marks = await().atMost(Duration.ofSeconds(5))
			.until(() -> jdbc().sql("select instance, type, fields from audit_in_flight").query().listOfRows(),
					(rows) -> rows.size() == 1);

		assertThat(marks.get(0).get("type")).isEqualTo("tool_call");
		assertThat(marks.get(0).get("fields").toString()).contains("\"outcome\":\"interrupted\"")
			.contains("\"tool\":\"up___slow\"")
			.contains("\"target\":\"up\"")
			.contains("\"decision\":\"allow\"");
		assertThat(slow.get().toString()).contains("slept 2000");
		assertThat(jdbc().sql("select count(*) from audit_in_flight").query(Long.class).single()).isZero();
		assertThat(records("tool = 'up___slow' and outcome = 'success'")).hasSize(1);
		assertThat(records("outcome = 'interrupted'")).isEmpty();
	}

	private List<String> records(String where) {
		return jdbc().sql("select record from audit_record where type = 'tool_call' and " + where)
			.query(String.class)
			.list();
	}

	private JdbcClient jdbc() {
		return gateway.bean(JdbcClient.class);
	}
}
