package dev.gatehouse.server.credentials;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.gatehouse.demo.idp.DemoClient;
import dev.gatehouse.server.testing.McpTestClient;
import dev.gatehouse.server.testing.OAuthFixture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Many grants due at once: the token requests one instance makes together are bounded by
 * {@code gatehouse.oauth.max-concurrent-refreshes}, because each holds a row lock and a database connection until
 * the authorization server answers. The targets' token endpoint is the demo IdP's behind a slow relay that counts
 * the requests in flight.
 */
class RefreshConcurrencyTests {

	static final int TARGETS = 4;

	static final int MAX_CONCURRENT = 2;

	static OAuthFixture fixture;

	static HttpServer slowTokenEndpoint;

	static final AtomicInteger inFlight = new AtomicInteger();

	static final AtomicInteger mostInFlight = new AtomicInteger();

	static final AtomicInteger relayed = new AtomicInteger();

	static volatile String idpTokenUrl;

	static final HttpClient CLIENT = HttpClient.newHttpClient();

	@BeforeAll
	static void start() throws IOException {
		slowTokenEndpoint = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		slowTokenEndpoint.setExecutor(Executors.newCachedThreadPool());
		slowTokenEndpoint.createContext("/token", RefreshConcurrencyTests::relay);
		slowTokenEndpoint.start();
		String slowUrl = "http://127.0.0.1:" + slowTokenEndpoint.getAddress().getPort() + "/token";
		OAuthFixture.Builder builder = OAuthFixture.builder()
			.policy(ClientConfigurationTests.EVERYONE)
			.client(DemoClient.builder("gatehouse-m2m")
				.secret(OAuthFixture.CLIENT_SECRET)
				.grantTypes(DemoClient.CLIENT_CREDENTIALS)
				.scopes("data:read")
				.accessTokenTtl(Duration.ofMinutes(5))
				.build())
			.gateway((b) -> b.property("gatehouse.oauth.max-concurrent-refreshes", String.valueOf(MAX_CONCURRENT))
				// No catalog re-synchronisation when the clock is stepped: only the calls below ask for tokens.
				.property("gatehouse.catalog.sync-interval", "24h"));
		for (int i = 0; i < TARGETS; i++) {
			builder.target("m2m-" + i, "{\"name\":\"m2m-" + i + "\",\"endpoint\":\"{RISK}\",\"auth\":{\"type\":\"oauth2\","
					+ "\"tokenUrl\":\"" + slowUrl + "\",\"grantType\":\"client_credentials\",\"scopes\":[\"data:read\"],"
					+ "\"clientId\":\"gatehouse-m2m\",\"clientSecret\":\"file:{SECRET_FILE}\"}}");
		}
		idpTokenUrl = null;
		fixture = builder.start();
		idpTokenUrl = fixture.idp().issuer() + "/oauth2/token";
	}

	@AfterAll
	static void stop() {
		fixture.close();
		slowTokenEndpoint.stop(0);
	}

	@Test
	void grantsDueTogetherAreRefreshedAtMostMaxConcurrentAtATimeAndEveryCallSucceeds() throws Exception {
		McpTestClient probe = fixture.agent("alice");
		await().atMost(Duration.ofSeconds(30)).until(() -> {
			String tools = probe.result("tools/list", "{}").toString();
			return IntStream.range(0, TARGETS)
				.allMatch((i) -> tools.contains("\"m2m-" + i + "___get_credit_rating\""));
		});
		fixture.clock().advance(Duration.ofMinutes(6));
		mostInFlight.set(0);
		int before = relayed.get();
		List<McpTestClient> agents = new ArrayList<>();
		for (int i = 0; i < TARGETS; i++) {
			agents.add(fixture.agent("alice"));
		}
		ExecutorService callers = Executors.newFixedThreadPool(TARGETS);
		try {
			List<Future<JsonNode>> results = new ArrayList<>();
			for (int i = 0; i < TARGETS; i++) {
				McpTestClient agent = agents.get(i);
				String call = OAuthFixture.RATING.replace(OAuthFixture.TARGET, "m2m-" + i);
				results.add(callers.submit(() -> agent.result("tools/call", call)));
			}
			for (Future<JsonNode> result : results) {
				assertThat(result.get().get("_meta").get("dev.gatehouse.demo/caller").get("sub").asString())
					.isEqualTo("gatehouse-m2m");
			}
		}
		finally {
			callers.shutdownNow();
		}
		assertThat(relayed.get() - before).as("one token request per grant").isEqualTo(TARGETS);
		assertThat(mostInFlight.get()).as("never more than the bound at once, and the bound was reached")
			.isEqualTo(MAX_CONCURRENT);
	}

	/** Holds each token request 400 ms, then relays it to the demo IdP. */
	static void relay(HttpExchange exchange) throws IOException {
		int now = inFlight.incrementAndGet();
		mostInFlight.accumulateAndGet(now, Math::max);
		try {
			byte[] body;
			try (InputStream in = exchange.getRequestBody()) {
				body = in.readAllBytes();
			}
			Thread.sleep(400);
			String url = idpTokenUrl;
			if (url == null) {
				exchange.sendResponseHeaders(503, -1);
				return;
			}
			HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
				.POST(HttpRequest.BodyPublishers.ofByteArray(body))
				.header("Content-Type", exchange.getRequestHeaders().getFirst("Content-Type"));
			String authorization = exchange.getRequestHeaders().getFirst("Authorization");
			if (authorization != null) {
				request.header("Authorization", authorization);
			}
			HttpResponse<byte[]> answer = CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
			relayed.incrementAndGet();
			exchange.getResponseHeaders().set("Content-Type", "application/json");
			exchange.getResponseHeaders().set("Cache-Control", "no-store");
			exchange.sendResponseHeaders(answer.statusCode(), answer.body().length);
			try (OutputStream out = exchange.getResponseBody()) {
				out.write(answer.body());
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		finally {
			inFlight.decrementAndGet();
			exchange.close();
		}
	}

}
