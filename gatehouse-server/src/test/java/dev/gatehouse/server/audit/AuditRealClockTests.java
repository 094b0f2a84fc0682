package dev.gatehouse.server.audit;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import dev.gatehouse.server.testing.AdminClient;
import dev.gatehouse.server.testing.McpTestClient;
import dev.gatehouse.server.testing.Postgres;
import dev.gatehouse.server.testing.TestGateway;
import dev.gatehouse.server.testing.TestUpstream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The audit trail on the system clock, as every installation runs it, on H2 and on PostgreSQL: a fresh trail of
 * real tool calls and security events verifies, and an edit, a deletion and a reordering made in the database are
 * still found. (A system clock has sub-microsecond digits that the databases' time columns do not keep; tests on
 * stepped clocks never saw the difference.)
 */
class AuditRealClockTests {

	TestGateway gateway;

	TestUpstream upstream;

	@AfterEach
	void stop() {
		if (gateway != null) {
			gateway.close();
		}
		if (upstream != null) {
			upstream.close();
		}
	}

	static Stream<String> databases() {
		return Stream.of("h2", "postgresql");
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("databases")
	void aFreshTrailOnTheSystemClockVerifiesAndTamperingIsStillFound(String database) {
		assertThat(Stream.generate(Clock.systemUTC()::instant).limit(100))
			.as("precondition: this JDK's system clock has sub-microsecond digits (else the test proves nothing)")
			.anySatisfy((t) -> assertThat(t.getNano() % 1000).isNotZero());
		TestGateway.Builder builder = TestGateway.builder();
		if (database.equals("postgresql")) {
			builder.postgres(Postgres.newDatabase());
		}
		gateway = builder.start();
		upstream = TestUpstream.start();
		AdminClient admin = gateway.admin();
		admin.register("{\"name\":\"tools\",\"endpoint\":\"" + upstream.url() + "\"}");
		McpTestClient agent = gateway.client();
		agent.initialize();
		for (int i = 0; i < 20; i++) {
			agent.result("tools/call", "{\"name\":\"tools___echo\",\"arguments\":{\"text\":\"call " + i + "\"}}");
		}
		agent.request("tools/call", "{\"name\":\"tools___nope\",\"arguments\":{}}");
		await().atMost(Duration.ofSeconds(10)).until(() -> count("type = 'tool_call'") >= 21);

		JsonNode fresh = verify(admin);
		assertThat(fresh.get("ok").asBoolean()).as("a fresh trail verifies: %s", fresh).isTrue();
		assertThat(fresh.get("recordsChecked").asLong()).isGreaterThanOrEqualTo(21);
		List<Instant> times = jdbc().sql("select at from audit_record order by seq")
			.query((rs, n) -> rs.getTimestamp(1).toInstant())
			.list();
		assertThat(times).as("the clock was real: not every record fell on a whole second")
			.anySatisfy((t) -> assertThat(t.getNano()).isNotZero());

		long seq = jdbc().sql("select max(seq) from audit_record where type = 'tool_call' and outcome = 'success'")
			.query(Long.class).single();
		editedRecordIsFound(admin, seq);
		deletedRecordIsFound(admin, seq);
		reorderedRecordsAreFound(admin, seq);
		assertThat(verify(admin).get("ok").asBoolean()).as("restored, the trail verifies again").isTrue();
	}

	private void editedRecordIsFound(AdminClient admin, long seq) {
		String original = column("record", seq);
		jdbc().sql("update audit_record set record = ? where seq = ?")
			.params(original.replace("\"outcome\":\"success\"", "\"outcome\":\"denied\""), seq)
			.update();
		try {
			JsonNode edited = verify(admin);
			assertThat(edited.get("ok").asBoolean()).isFalse();
			assertThat(edited.get("problems").toString()).contains("\"seq\":" + seq).contains("edited");
		}
		finally {
			jdbc().sql("update audit_record set record = ? where seq = ?").params(original, seq).update();
		}
		Instant at = jdbc().sql("select at from audit_record where seq = ?").param(seq)
			.query((rs, n) -> rs.getTimestamp(1).toInstant()).single();
		jdbc().sql("update audit_record set at = ? where seq = ?")
			.params(java.sql.Timestamp.from(at.plusMillis(1)), seq)
			.update();
		try {
			assertThat(verify(admin).get("problems").toString()).contains("time column differs");
		}
		finally {
			jdbc().sql("update audit_record set at = ? where seq = ?").params(java.sql.Timestamp.from(at), seq).update();
		}
	}

	private void deletedRecordIsFound(AdminClient admin, long seq) {
		Map<String, Object> row = jdbc().sql("select * from audit_record where seq = ?").param(seq).query()
			.singleRow();
		jdbc().sql("delete from audit_record where seq = ?").param(seq).update();
		try {
			JsonNode deleted = verify(admin);
			assertThat(deleted.get("ok").asBoolean()).isFalse();
			assertThat(deleted.get("problems").toString()).contains("missing");
		}
		finally {
			insert(row);
		}
	}

	/** Swaps the contents of two neighbouring records, keeping each row's sequence number. */
	private void reorderedRecordsAreFound(AdminClient admin, long seq) {
		Map<String, Object> later = jdbc().sql("select * from audit_record where seq = ?").param(seq).query()
			.singleRow();
		Map<String, Object> earlier = jdbc().sql("select * from audit_record where seq = ?").param(seq - 1).query()
			.singleRow();
		jdbc().sql("delete from audit_record where seq in (?, ?)").params(seq - 1, seq).update();
		try {
			insert(with(later, "seq", seq - 1));
			insert(with(earlier, "seq", seq));
			JsonNode reordered = verify(admin);
			assertThat(reordered.get("ok").asBoolean()).isFalse();
			assertThat(reordered.get("problems").toString()).contains("\"seq\":" + (seq - 1));
		}
		finally {
			jdbc().sql("delete from audit_record where seq in (?, ?)").params(seq - 1, seq).update();
			insert(earlier);
			insert(later);
		}
	}

	private static Map<String, Object> with(Map<String, Object> row, String column, Object value) {
		Map<String, Object> copy = new java.util.LinkedHashMap<>(row);
		copy.put(column, value);
		return copy;
	}

	private void insert(Map<String, Object> row) {
		Map<String, Object> r = new java.util.TreeMap<>(String.CASE_INSENSITIVE_ORDER);
		r.putAll(row);
		jdbc().sql("insert into audit_record (seq, rec_day, at, type, issuer, subject, client_id, target, tool, "
				+ "outcome, record, prev_hash, hash) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
			.params(r.get("seq"), r.get("rec_day"), r.get("at"), r.get("type"), r.get("issuer"), r.get("subject"),
					r.get("client_id"), r.get("target"), r.get("tool"), r.get("outcome"), r.get("record"),
					r.get("prev_hash"), r.get("hash"))
			.update();
	}

	private String column(String name, long seq) {
		return jdbc().sql("select " + name + " from audit_record where seq = ?").param(seq).query(String.class)
			.single();
	}

	private static JsonNode verify(AdminClient admin) {
		AdminClient.Response response = admin.get("/admin/api/audit/verify");
		assertThat(response.status()).as(response.body()).isEqualTo(200);
		return response.json();
	}

	private long count(String where) {
		return jdbc().sql("select count(*) from audit_record where " + where).query(Long.class).single();
	}

	private JdbcClient jdbc() {
		return gateway.bean(JdbcClient.class);
	}
}
