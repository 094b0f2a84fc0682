package dev.gatehouse.server.mcp;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import dev.gatehouse.server.testing.McpTestClient;
import dev.gatehouse.server.testing.McpTestClient.Reply;
import dev.gatehouse.server.testing.Postgres;
import dev.gatehouse.server.testing.TestGateway;
import org.junit.jupiter.api.Test;

import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Session state written by many requests of one session at once: {@code logging/setLevel} and
 * {@code DELETE} race on the same {@code mcp_session_state} row, on H2 and on a real PostgreSQL server.
 */
class McpSessionsRaceTests {

	private static final int CALLS = 120;

	@Test
	void setLevelWhenManyConcurrentOnOneSessionOnH2ThenEverySucceeds() throws Exception {
		try (TestGateway gateway = TestGateway.builder().start()) {
			assertConcurrentSetLevelAndEnd(gateway);
		}
	}

	@Test
	void setLevelWhenManyConcurrentOnOneSessionOnPostgresThenEverySucceeds() throws Exception {
		try (TestGateway gateway = TestGateway.builder().postgres(Postgres.newDatabase()).start()) {
			assertConcurrentSetLevelAndEnd(gateway);
		}
	}

	private static void assertConcurrentSetLevelAndEnd(TestGateway gateway) throws Exception {
		for (int round = 0; round < 3; round++) {
			McpTestClient client = gateway.client();
			client.initialize();
			List<Reply> replies = concurrently(CALLS, (i) -> client.request("logging/setLevel",
					"{\"level\":\"" + ((i % 2 == 0) ? "warning" : "error") + "\"}"));
			for (Reply reply : replies) {
				assertThat(reply.status()).as(reply.body()).isEqualTo(200);
				assertThat(reply.response().has("error")).as(reply.body()).isFalse();
			}
			JdbcClient jdbc = JdbcClient.create(gateway.bean(javax.sql.DataSource.class));
			String key = McpSessions.key(client.sessionId());
			assertThat(jdbc.sql("select count(*) from mcp_session_state where session_key = ?").param(key)
				.query(Integer.class).single()).isEqualTo(1);
			assertThat(jdbc.sql("select log_level from mcp_session_state where session_key = ?").param(key)
				.query(String.class).single()).isIn("warning", "error");
		}
		McpTestClient ending = gateway.client();
		ending.initialize();
		List<Reply> deletes = concurrently(CALLS, (i) -> ending.delete());
		for (Reply reply : deletes) {
			assertThat(reply.status()).as(reply.body()).isIn(200, 404);
		}
		assertThat(deletes).anyMatch((reply) -> reply.status() == 200);
		assertThat(ending.request("ping", null).status()).isEqualTo(404);
	}

	private interface Call {

		Reply call(int i);

	}

	private static List<Reply> concurrently(int n, Call call) throws Exception {
		ExecutorService pool = Executors.newFixedThreadPool(Math.min(n, 64));
		try {
			CountDownLatch start = new CountDownLatch(1);
			List<Future<Reply>> futures = new ArrayList<>();
			for (int i = 0; i < n; i++) {
				int index = i;
				futures.add(pool.submit(() -> {
					start.await();
					return call.call(index);
				}));
			}
			start.countDown();
			List<Reply> replies = new ArrayList<>();
			for (Future<Reply> future : futures) {
				replies.add(future.get(60, TimeUnit.SECONDS));
			}
			return replies;
		}
		finally {
			pool.shutdownNow();
		}
	}
}
