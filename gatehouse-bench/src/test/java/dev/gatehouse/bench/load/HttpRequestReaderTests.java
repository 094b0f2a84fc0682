package dev.gatehouse.bench.load;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class HttpRequestReaderTests {

	private static final String POST = "POST /mcp HTTP/1.1\r\nHost: x\r\nContent-Length: 7\r\n\r\n{\"a\":1}";

	@Test
	void nextWhenPipelinedRequestsThenReadsEachWithItsBody() throws IOException {
		HttpRequestReader reader = new HttpRequestReader(stream(POST + "GET /mcp HTTP/1.1\r\nHost: x\r\n\r\n"
				+ "DELETE /mcp HTTP/1.1\r\nconnection: Close\r\n\r\n"));
		assertThat(reader.next()).isTrue();
		assertThat(reader.method()).isEqualTo((byte) 'P');
		assertThat(body(reader)).isEqualTo("{\"a\":1}");
		assertThat(reader.close()).isFalse();
		assertThat(reader.next()).isTrue();
		assertThat(reader.method()).isEqualTo((byte) 'G');
		assertThat(body(reader)).isEmpty();
		assertThat(reader.next()).isTrue();
		assertThat(reader.method()).isEqualTo((byte) 'D');
		assertThat(reader.close()).isTrue();
		assertThat(reader.next()).isFalse();
	}

	@Test
	void nextWhenBytesArriveOneAtATimeThenStillReadsTheRequest() throws IOException {
		HttpRequestReader reader = new HttpRequestReader(trickle(POST + POST));
		assertThat(reader.next()).isTrue();
		assertThat(body(reader)).isEqualTo("{\"a\":1}");
		assertThat(reader.next()).isTrue();
		assertThat(body(reader)).isEqualTo("{\"a\":1}");
		assertThat(reader.next()).isFalse();
	}

	@Test
	void nextWhenBodyLargerThanTheBufferThenGrowsIt() throws IOException {
		String body = "x".repeat(100_000);
		HttpRequestReader reader = new HttpRequestReader(
				stream("POST / HTTP/1.1\r\nContent-Length: " + body.length() + "\r\n\r\n" + body));
		assertThat(reader.next()).isTrue();
		assertThat(body(reader)).isEqualTo(body);
	}

	@Test
	void nextWhenStreamEndsInsideABodyThenFails() {
		HttpRequestReader reader = new HttpRequestReader(stream(POST.substring(0, POST.length() - 2)));
		assertThatExceptionOfType(EOFException.class).isThrownBy(reader::next);
	}

	private static String body(HttpRequestReader reader) {
		return new String(reader.buffer(), reader.bodyStart(), reader.bodyEnd() - reader.bodyStart(),
				StandardCharsets.UTF_8);
	}

	private static InputStream stream(String text) {
		return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
	}

	private static InputStream trickle(String text) {
		return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)) {
			@Override
			public synchronized int read(byte[] b, int off, int len) {
				return super.read(b, off, Math.min(len, 1));
			}
		};
	}

}
