package dev.gatehouse.server.audit;

import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import dev.gatehouse.server.testing.Postgres;
import dev.gatehouse.server.testing.TestGateway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The audit writer's group commit ({@code gatehouse.audit.linger}, ADR 0011), observed through PostgreSQL's
 * {@code xmin}: rows written by one transaction share it. The test holds the chain head's row lock so that records
 * queue up behind a first one, exactly as under concurrent load.
 */
class AuditGroupCommitTests {

	TestGateway gateway;

	@AfterEach
	void stop() {
		if (gateway != null) {
			gateway.close();
		}
	}

	@Test
	void recordsArrivingWhileTheWriterLingersShareOneTransaction() throws Exception {
		String database = Postgres.newDatabase();
		gateway = TestGateway.builder().postgres(database).property("gatehouse.audit.linger", "1s").start();
		AuditTrail trail = gateway.bean(AuditTrail.class);
		await().atMost(Duration.ofSeconds(10)).until(() -> trail.queueDepth() == 0);

		try (Connection lock = Postgres.lockAuditChainHead(database)) {
			// The writer takes the first record alone and waits for the lock; two more queue behind it.
			trail.event("grouped", Map.of("n", 0));
			await().atMost(Duration.ofSeconds(5)).until(() -> trail.queueDepth() == 0);
			trail.event("grouped", Map.of("n", 1));
			trail.event("grouped", Map.of("n", 2));
		}
		// Lock released: the first commits; the writer then finds two waiting (load) and lingers for more.
		await().atMost(Duration.ofSeconds(5)).until(() -> trail.queueDepth() == 0);
		trail.event("grouped", Map.of("n", 3));
		trail.event("grouped", Map.of("n", 4));
		await().atMost(Duration.ofSeconds(10)).until(() -> transactions().size() == 5);

		List<Map<String, Object>> rows = transactions();
		assertThat(rows.get(0).get("tx")).as("the first record went alone").isNotEqualTo(rows.get(1).get("tx"));
		assertThat(rows.subList(1, 5)).as("records that arrived during the linger joined the waiting ones")
			.extracting((row) -> row.get("tx"))
			.containsOnly(rows.get(1).get("tx"));
		assertThat(rows).extracting((row) -> row.get("n")).containsExactly("0", "1", "2", "3", "4");
	}

	@Test
	void aLingerOutsideZeroToOneSecondStopsTheStartWithTheSettingNamed() {
		assertThatThrownBy(() -> TestGateway.builder().property("gatehouse.audit.linger", "2s").start())
			.hasStackTraceContaining("gatehouse.audit.linger must be between 0 and 1s");
		assertThatThrownBy(() -> TestGateway.builder().property("gatehouse.audit.linger", "-1ms").start())
			.hasStackTraceContaining("gatehouse.audit.linger must be between 0 and 1s");
	}

	/** The "grouped" records in order, each with the id of the transaction that wrote it. */
	private List<Map<String, Object>> transactions() {
		return gateway.bean(JdbcClient.class)
			.sql("select xmin::text as tx, record::json->>'n' as n from audit_record where type = 'grouped' "
					+ "order by seq")
			.query()
			.listOfRows();
	}
}
