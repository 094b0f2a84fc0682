package dev.gatehouse.server.config;

import java.net.http.HttpResponse;
import java.util.Iterator;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import dev.gatehouse.server.testing.McpTestClient;
import dev.gatehouse.server.testing.TestGateway;
import dev.gatehouse.server.testing.TestUpstream;
import org.apache.catalina.connector.Connector;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.tomcat.TomcatWebServer;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.util.unit.DataSize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * The web server's buffers ({@code gatehouse.http.*}): Tomcat gets the configured sizes, and requests, responses
 * and held streams larger than every buffer still arrive whole.
 */
class HttpConnectorConfigurationTests {

	static TestUpstream upstream;

	static TestGateway gateway;

	@BeforeAll
	static void start() {
		upstream = TestUpstream.start();
		gateway = TestGateway.builder()
			.property("gatehouse.http.socket-read-buffer", "1KB")
			.property("gatehouse.http.socket-write-buffer", "1KB")
			.property("gatehouse.http.response-buffer", "512B")
			.start();
		gateway.admin().register("{\"name\":\"up\",\"endpoint\":\"" + upstream.url() + "\"}");
	}

	@AfterAll
	static void stop() {
		gateway.close();
		upstream.close();
	}

	@Test
	void connectorWhenStartedThenHasTheConfiguredBufferSizes() {
		Connector connector = ((TomcatWebServer) ((WebServerApplicationContext) gateway.context()).getWebServer())
			.getTomcat()
			.getConnector();
		assertThat(connector.getProtocolHandler()).isInstanceOf(HeldStreamProtocol.class);
		assertThat(connector.getProtocolHandler().getDesiredBufferSize()).isEqualTo(512);
		assertThat(connector.getProperty("socket.appReadBufSize")).hasToString("1024");
		assertThat(connector.getProperty("socket.appWriteBufSize")).hasToString("1024");
	}

	@Test
	void toolsCallWhenLargerThanEveryBufferThenArrivesWhole() {
		McpTestClient client = gateway.client();
		client.initialize();
		String text = "x".repeat(40_000);
		JsonNode result = client.result("tools/call",
				"{\"name\":\"up___echo\",\"arguments\":{\"text\":\"" + text + "\"}}");
		assertThat(result.get("content").get(0).get("text").asString()).isEqualTo(text);
	}

	@Test
	void heldStreamWhenBuffersAreSmallThenOpensAndDeliversNotifications() throws Exception {
		McpTestClient client = gateway.client();
		client.initialize();
		HttpResponse<Stream<String>> stream = client.openStream();
		assertThat(stream.statusCode()).isEqualTo(200);
		assertThat(stream.headers().firstValue("Content-Type")).hasValueSatisfying(
				(type) -> assertThat(type).startsWith("text/event-stream"));
		Iterator<String> lines = stream.body().iterator();
		CompletableFuture<JsonNode> next = CompletableFuture.supplyAsync(() -> McpTestClient.nextMessage(lines));
		upstream.putTool("fresh", "A tool that appeared later");
		JsonNode changed = next.get(20, TimeUnit.SECONDS);
		assertThat(changed.get("method").asString()).isEqualTo("notifications/tools/list_changed");
		stream.body().close();
	}

	@Test
	void httpWhenABufferIsOutOfRangeThenRejected() {
		DataSize ok = DataSize.ofKilobytes(2);
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new GatehouseProperties.Http(DataSize.ofBytes(511), ok, ok))
			.withMessageContaining("gatehouse.http.socket-read-buffer must be between 512B and 1MB");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new GatehouseProperties.Http(ok, DataSize.ofMegabytes(2), ok))
			.withMessageContaining("gatehouse.http.socket-write-buffer");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new GatehouseProperties.Http(ok, ok, DataSize.ofBytes(0)))
			.withMessageContaining("gatehouse.http.response-buffer");
	}
}
