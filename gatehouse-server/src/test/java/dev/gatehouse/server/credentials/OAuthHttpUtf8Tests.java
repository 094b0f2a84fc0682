package dev.gatehouse.server.credentials;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;

import com.sun.net.httpserver.HttpServer;
import dev.gatehouse.server.testing.TestGateway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An authorization server's answer that is not well-formed UTF-8 is read as no JSON at all (like any body that is
 * not JSON), so an overlong {@code 0xC0 0xAF} can never become a {@code /} in an endpoint URL or a token.
 */
class OAuthHttpUtf8Tests {

	static TestGateway gateway;

	static HttpServer server;

	@BeforeAll
	static void start() throws IOException {
		gateway = TestGateway.builder().start();
		server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		server.createContext("/", (exchange) -> {
			ByteArrayOutputStream body = new ByteArrayOutputStream();
			body.writeBytes("{\"issuer\":\"http://127.0.0.1/..".getBytes(StandardCharsets.US_ASCII));
			if (exchange.getRequestURI().getPath().equals("/overlong")) {
				body.write(0xC0);
				body.write(0xAF);
			}
			else {
				body.write('/');
			}
			body.writeBytes("x\"}".getBytes(StandardCharsets.US_ASCII));
			byte[] bytes = body.toByteArray();
			exchange.getResponseHeaders().add("Content-Type", "application/json");
			exchange.sendResponseHeaders(200, bytes.length);
			exchange.getResponseBody().write(bytes);
			exchange.close();
		});
		server.start();
	}

	@AfterAll
	static void stop() {
		server.stop(0);
		gateway.close();
	}

	@Test
	void getJsonWhenAnswerIsOverlongUtf8ThenNoBody() {
		OAuthHttp http = gateway.bean(OAuthHttp.class);
		String base = "http://127.0.0.1:" + server.getAddress().getPort();
		OAuthHttp.Response wellFormed = http.getJson(URI.create(base + "/plain"));
		assertThat(wellFormed.body()).as("the control answer is read").isNotNull();
		assertThat(wellFormed.body().get("issuer").asString()).isEqualTo("http://127.0.0.1/../x");
		OAuthHttp.Response overlong = http.getJson(URI.create(base + "/overlong"));
		assertThat(overlong.status()).isEqualTo(200);
		assertThat(overlong.body()).isNull();
	}
}
