package dev.gatehouse.bench.load;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The client's response parsing, against a loopback server that answers canned bytes. */
class HttpConnectionTests {

	private ServerSocket server;

	private volatile String answer;

	@BeforeEach
	void start() throws IOException {
		this.server = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
		Thread thread = new Thread(this::serve);
		thread.setDaemon(true);
		thread.start();
	}

	@AfterEach
	void stop() throws IOException {
		this.server.close();
	}

	@Test
	void exchangeWhenChunkedThenJoinsTheChunksAndKeepsTheNextResponse() throws IOException {
		this.answer = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nMcp-Session-Id: abc\r\n\r\n"
				+ "5\r\nhello\r\n7;ext=1\r\n, world\r\n0\r\n\r\n";
		try (HttpConnection connection = HttpConnection.open(this.server.getLocalPort())) {
			assertThat(connection.exchange(request())).isEqualTo(200);
			assertThat(connection.body()).isEqualTo("hello, world");
			assertThat(connection.sessionId()).isEqualTo("abc");
			assertThat(connection.closeRequested()).isFalse();
			assertThat(connection.exchange(request())).isEqualTo(200);
			assertThat(connection.body()).isEqualTo("hello, world");
		}
	}

	@Test
	void exchangeWhenContentLengthThenReadsExactlyThatAndSeesConnectionClose() throws IOException {
		this.answer = "HTTP/1.1 404 Not Found\r\nContent-Length: 3\r\nConnection: close\r\n\r\nabc";
		try (HttpConnection connection = HttpConnection.open(this.server.getLocalPort())) {
			assertThat(connection.exchange(request())).isEqualTo(404);
			assertThat(connection.body()).isEqualTo("abc");
			assertThat(connection.sessionId()).isNull();
			assertThat(connection.closeRequested()).isTrue();
			assertThat(connection.bodyContains(HttpConnection.ascii("bc"))).isTrue();
			assertThat(connection.bodyContains(HttpConnection.ascii("cd"))).isFalse();
		}
	}

	private static byte[] request() {
		return HttpConnection.ascii("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
	}

	/** Answers every request head (no body) with {@link #answer}. */
	private void serve() {
		while (!this.server.isClosed()) {
			try (Socket socket = this.server.accept()) {
				InputStream in = socket.getInputStream();
				OutputStream out = socket.getOutputStream();
				int matched = 0;
				int b;
				while ((b = in.read()) >= 0) {
					matched = (b == "\r\n\r\n".charAt(matched)) ? matched + 1 : ((b == '\r') ? 1 : 0);
					if (matched == 4) {
						out.write(this.answer.getBytes(StandardCharsets.US_ASCII));
						out.flush();
						matched = 0;
					}
				}
			}
			catch (IOException ex) {
				// closed
			}
		}
	}

}
