package dev.gatehouse.server.audit;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Base64;
import java.util.Map;

import dev.gatehouse.core.audit.AuditChain;
import dev.gatehouse.core.audit.ToolCallRecord;
import dev.gatehouse.core.crypto.Ed25519;
import dev.gatehouse.server.testing.AdminClient;
import dev.gatehouse.server.testing.SteppedClock;
import dev.gatehouse.server.testing.TestGateway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Days, checkpoints and retention with a stepped clock: each finished day gets a checkpoint signed with the key the
 * gateway publishes; a record that arrives after its day was checkpointed is filed under the next day; retention
 * deletes only checkpointed days and the rest still verifies from the checkpoint; a tampered checkpoint, or a day
 * whose records were edited before it was checkpointed, is found.
 */
class AuditCheckpointTests {

	SteppedClock clock;

	TestGateway gateway;

	AdminClient admin;

	@BeforeEach
	void start() {
		clock = new SteppedClock(Instant.parse("2026-11-20T22:00:00Z"));
		gateway = TestGateway.builder()
			.clock(clock)
			.property("gatehouse.audit.retention", "3d")
			.property("gatehouse.audit.maintenance-interval", "1h")
			.start();
		admin = gateway.admin();
	}

	@AfterEach
	void stop() {
		gateway.close();
	}

	@Test
	void finishedDaysAreCheckpointedAndSignedAndRetentionKeepsTheRestVerifiable() {
		record("day-one", 3);
		clock.advance(Duration.ofHours(3));
		record("day-two", 2);
		// A call that began on day one but whose record is written after day one was checkpointed.
		maintenance().run();
		gateway.bean(AuditTrail.class).record(new ToolCallRecord(Instant.parse("2026-11-20T23:59:59Z"), "iss", "late",
				null, null, "t___x", "t", "x", null, ToolCallRecord.Outcome.SUCCESS, 200, Duration.ofMillis(5),
				Duration.ofMillis(4), "sha256:00", null, null));
		awaitWritten();

		JsonNode checkpoints = admin.get("/admin/api/audit/checkpoints").json();
		assertThat(checkpoints.get("checkpoints")).hasSize(1);
		JsonNode first = checkpoints.get("checkpoints").get(0);
		assertThat(first.get("day").asString()).isEqualTo("2026-11-20");
		assertThat(first.get("records").asLong()).isGreaterThanOrEqualTo(3);
		byte[] payload = AuditChain.checkpointPayload(LocalDate.parse("2026-11-20"), first.get("firstSeq").asLong(),
				first.get("lastSeq").asLong(), first.get("records").asLong(), first.get("lastHash").asString());
		assertThat(Ed25519.verify(Base64.getUrlDecoder().decode(checkpoints.get("publicKey").asString()), payload,
				Base64.getUrlDecoder().decode(first.get("signature").asString())))
			.as("the signature checks with the published key alone").isTrue();
		assertThat(jdbc().sql("select rec_day from audit_record where subject = 'late'").query(String.class).single())
			.as("filed under the next open day, its time kept").isEqualTo("2026-11-21");
		assertThat(admin.get("/admin/api/audit?subject=late").json().get("records").get(0).get("at").asString())
			.isEqualTo("2026-11-20T23:59:59Z");
		assertThat(verify().get("ok").asBoolean()).isTrue();

		clock.advance(Duration.ofDays(1));
		record("day-three", 2);
		clock.advance(Duration.ofDays(3));
		record("day-six", 1);
		int deleted = maintenance().run();

		assertThat(deleted).isPositive();
		assertThat(jdbc().sql("select min(rec_day) from audit_record").query(String.class).single())
			.isEqualTo("2026-11-22");
		JsonNode afterRetention = verify();
		assertThat(afterRetention.get("ok").asBoolean()).as(afterRetention.toString()).isTrue();
		assertThat(afterRetention.get("firstSeq").asLong()).isGreaterThan(1);
		awaitWritten();
		assertThat(admin.get("/admin/api/audit?type=audit_retention_applied").json().get("records")).hasSize(1);

		jdbc().sql("update audit_checkpoint set last_hash = ? where cp_day = ?").params("0".repeat(64),
				java.sql.Date.valueOf("2026-11-20")).update();
		assertThat(verify().get("problems").toString()).contains("invalid signature");
	}

	@Test
	void aDayWhoseRecordsWereEditedBeforeItsCheckpointGetsNoneAndTheBreakIsRecorded() {
		record("honest", 3);
		jdbc().sql("update audit_record set record = replace(record, 'honest', 'forged') where seq = 2").update();
		clock.advance(Duration.ofHours(3));

		assertThat(maintenance().run()).isZero();

		assertThat(admin.get("/admin/api/audit/checkpoints").json().get("checkpoints")).isEmpty();
		awaitWritten();
		JsonNode broken = admin.get("/admin/api/audit?type=audit_chain_broken").json().get("records");
		assertThat(broken).isNotEmpty();
		assertThat(broken.get(0).get("found_by").asString()).isEqualTo("checkpoint");
	}

	private void record(String what, int count) {
		AuditTrail trail = gateway.bean(AuditTrail.class);
		for (int i = 0; i < count; i++) {
			trail.event("test_event", Map.of("subject", what, "n", i));
		}
		awaitWritten();
	}

	private void awaitWritten() {
		await().atMost(Duration.ofSeconds(10)).until(() -> gateway.bean(AuditTrail.class).queueDepth() == 0
				&& jdbc().sql("select last_seq from audit_chain_head").query(Long.class).single()
						== jdbc().sql("select coalesce(max(seq), 0) from audit_record").query(Long.class).single());
		await().atMost(Duration.ofSeconds(10)).until(() -> ((DatabaseAuditTrail) gateway.bean(AuditTrail.class))
			.written() >= jdbc().sql("select count(*) from audit_record").query(Long.class).single());
	}

	private AuditMaintenance maintenance() {
		return gateway.bean(AuditMaintenance.class);
	}

	private JsonNode verify() {
		return admin.get("/admin/api/audit/verify").json();
	}

	private JdbcClient jdbc() {
		return gateway.bean(JdbcClient.class);
	}
}
