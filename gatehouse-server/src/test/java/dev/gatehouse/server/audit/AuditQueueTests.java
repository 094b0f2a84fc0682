package dev.gatehouse.server.audit;

import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.gatehouse.server.testing.McpTestClient;
import dev.gatehouse.server.testing.Postgres;
import dev.gatehouse.server.testing.TestGateway;
import dev.gatehouse.server.testing.TestUpstream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A full audit queue, made real: the test holds the chain head's row lock in PostgreSQL, so the writer cannot
 * append, and fills the queue. With {@code overflow: reject} a new tool call is refused before it runs; with
 * {@code block} it waits and goes through once the store keeps up. Either way the gateway logs an error, and every
 * record accepted is written once the lock is released: none is dropped.
 */
class AuditQueueTests {

	static final int CAPACITY = 100;

	TestUpstream upstream;

	TestGateway gateway;

	String database;

	ListAppender<ILoggingEvent> log;

	@BeforeEach
	void startUpstream() {
		upstream = TestUpstream.start();
	}

	@AfterEach
	void stop() {
		if (log != null) {
			((Logger) LoggerFactory.getLogger(DatabaseAuditTrail.class)).detachAppender(log);
		}
		if (gateway != null) {
			gateway.close();
		}
		upstream.close();
	}

	@Test
	void rejectRefusesNewToolCallsWhileTheQueueIsFullAndDropsNothing() throws Exception {
		McpTestClient agent = start("reject");
		try (Connection lock = Postgres.lockAuditChainHead(database)) {
			fillQueue();

			JsonNode refused = agent.request("tools/call", "{\"name\":\"up___count\",\"arguments\":{}}").response();

			assertThat(refused.get("error").get("code").asInt()).isEqualTo(-32603);
			assertThat(refused.get("error").get("message").asString()).contains("audit queue is full")
				.contains("not executed");
			assertThat(upstream.calls()).as("the refused call never reached the target").isEqualTo(1);
			assertThat(errors()).anyMatch((m) -> m.contains("The audit queue is full") && m.contains("refused"));
		}
		await().atMost(Duration.ofSeconds(20)).until(() -> trail().queueDepth() == 0);
		await().atMost(Duration.ofSeconds(5)).until(() -> count("type = 'filler'") == CAPACITY + 1);
		assertThat(count("type = 'tool_call'")).as("only the call that ran").isEqualTo(1);
		assertThat(agent.result("tools/call", "{\"name\":\"up___count\",\"arguments\":{}}")).isNotNull();
		assertThat(upstream.calls()).isEqualTo(2);
	}

	@Test
	void blockHoldsNewToolCallsUntilTheStoreKeepsUpThenRunsThem() throws Exception {
		McpTestClient agent = start("block");
		CompletableFuture<JsonNode> held;
		try (Connection lock = Postgres.lockAuditChainHead(database)) {
			fillQueue();
			long overflowsBefore = trail().overflows();

			held = CompletableFuture.supplyAsync(
					() -> agent.request("tools/call", "{\"name\":\"up___count\",\"arguments\":{}}").response());

			await().atMost(Duration.ofSeconds(10)).until(() -> trail().overflows() > overflowsBefore);
			assertThat(held).as("held while the queue is full").isNotDone();
			assertThat(upstream.calls()).isEqualTo(1);
			assertThat(errors()).anyMatch((m) -> m.contains("The audit queue is full") && m.contains("held"));
		}
		JsonNode answer = held.get();
		assertThat(answer.has("result")).as(answer.toString()).isTrue();
		assertThat(upstream.calls()).isEqualTo(2);
		await().atMost(Duration.ofSeconds(20)).until(() -> count("type = 'tool_call'") == 2);
		assertThat(count("type = 'filler'")).isEqualTo(CAPACITY + 1);
	}

	private McpTestClient start(String overflow) {
		database = Postgres.newDatabase();
		gateway = TestGateway.builder()
			.postgres(database)
			.property("gatehouse.audit.queue-capacity", CAPACITY)
			.property("gatehouse.audit.batch-size", 1)
			.property("gatehouse.audit.overflow", overflow)
			.property("gatehouse.audit.block-timeout", "60s")
			.start();
		// After the start: Spring Boot resets Logback while it starts.
		log = new ListAppender<>();
		log.start();
		((Logger) LoggerFactory.getLogger(DatabaseAuditTrail.class)).addAppender(log);
		gateway.admin().register("{\"name\":\"up\",\"endpoint\":\"" + upstream.url() + "\"}");
		McpTestClient agent = gateway.client();
		agent.initialize();
		assertThat(agent.result("tools/call", "{\"name\":\"up___count\",\"arguments\":{}}")).isNotNull();
		await().atMost(Duration.ofSeconds(10)).until(() -> count("type = 'tool_call'") == 1 && trail().queueDepth() == 0);
		return agent;
	}


	private void fillQueue() {
		AuditTrail trail = gateway.bean(AuditTrail.class);
		// The writer takes one record and blocks on the lock; the rest stay queued.
		trail.event("filler", Map.of("n", 0));
		await().atMost(Duration.ofSeconds(5)).until(() -> trail.queueDepth() == 0);
		for (int n = 1; n <= CAPACITY - 1; n++) {
			trail.event("filler", Map.of("n", n));
		}
		await().atMost(Duration.ofSeconds(5)).until(() -> trail.queueDepth() == CAPACITY - 1);
		trail.event("filler", Map.of("n", CAPACITY));
		assertThat(trail.queueDepth()).isEqualTo(CAPACITY);
	}

	private DatabaseAuditTrail trail() {
		return (DatabaseAuditTrail) gateway.bean(AuditTrail.class);
	}

	private List<String> errors() {
		return log.list.stream().filter((e) -> e.getLevel() == Level.ERROR).map(ILoggingEvent::getFormattedMessage)
			.toList();
	}

	private long count(String where) {
		return gateway.bean(JdbcClient.class).sql("select count(*) from audit_record where " + where)
			.query(Long.class).single();
	}
}
