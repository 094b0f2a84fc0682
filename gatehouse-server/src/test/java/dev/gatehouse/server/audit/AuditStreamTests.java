package dev.gatehouse.server.audit;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

import dev.gatehouse.server.testing.McpTestClient;
import dev.gatehouse.server.testing.TestGateway;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code gatehouse.audit.stream: stdout}: every written record also leaves as one syslog-style JSON line on standard
 * output, for a SIEM collector reading the container's output.
 */
class AuditStreamTests {

	@Test
	void stdoutStreamWritesOneSyslogStyleJsonLinePerRecord() {
		PrintStream original = System.out;
		ByteArrayOutputStream captured = new ByteArrayOutputStream();
		System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
		try (TestGateway gateway = TestGateway.builder().property("gatehouse.audit.stream", "stdout").start()) {
			gateway.bean(AuditTrail.class).event("consent_failed", Map.of("subject", "alice", "reason", "denied"));

			await().atMost(Duration.ofSeconds(10)).until(() -> captured.toString(StandardCharsets.UTF_8)
				.contains("consent_failed"));
			String line = captured.toString(StandardCharsets.UTF_8).lines().filter((l) -> l.contains("consent_failed"))
				.findFirst().orElseThrow();
			JsonNode json = McpTestClient.JSON.readTree(line);
			assertThat(json.get("app").asString()).isEqualTo("gatehouse");
			assertThat(json.get("severity").asString()).isEqualTo("warning");
			assertThat(json.has("@timestamp")).isTrue();
			assertThat(json.has("host")).isTrue();
			assertThat(json.get("seq").asLong()).isPositive();
			assertThat(json.get("event").get("subject").asString()).isEqualTo("alice");
			assertThat(json.get("event").get("type").asString()).isEqualTo("consent_failed");
		}
		finally {
			System.setOut(original);
		}
	}
}
