package dev.gatehouse.bench.load;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.io.SocketConfig;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The gateway's upstream HTTP client against the JDK's, for the "measure before choosing": one MCP
 * {@code tools/call} POST (about 1 KiB each way) over a kept-alive loopback connection to the harness's fake
 * upstream, in this JVM. Apache HttpClient 5 is configured as {@code UpstreamHttp} configures it (pooled,
 * {@code TCP_NODELAY}, no retries, redirects, cookies, auth caching or compression); {@code java.net.http} with its
 * defaults on HTTP/1.1. Read the time and the allocation per call ({@code -prof gc}); the upstream's own cost is
 * in both.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class UpstreamClientBenchmarks {

	private static final byte[] CALL = ("{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"tools/call\",\"params\":{\"name\":"
			+ "\"json\",\"arguments\":{\"text\":\"" + "x".repeat(900) + "\"}}}")
		.getBytes(StandardCharsets.UTF_8);

	private FakeUpstream upstream;

	private URI uri;

	private PoolingHttpClientConnectionManager connections;

	private CloseableHttpClient apache;

	private HttpClient jdk;

	@Setup(Level.Trial)
	public void start() throws IOException, InterruptedException {
		this.upstream = FakeUpstream.start(0, 1024, 10, 20, true);
		this.uri = URI.create("http://127.0.0.1:" + this.upstream.port() + "/mcp");
		this.connections = PoolingHttpClientConnectionManagerBuilder.create()
			.setDefaultSocketConfig(SocketConfig.custom().setTcpNoDelay(true).build())
			.setMaxConnPerRoute(64)
			.setMaxConnTotal(256)
			.build();
		this.apache = HttpClients.custom()
			.setConnectionManager(this.connections)
			.disableRedirectHandling()
			.disableAutomaticRetries()
			.disableCookieManagement()
			.disableAuthCaching()
			.disableContentCompression()
			.setUserAgent("Gatehouse")
			.build();
		this.jdk = HttpClient.newBuilder()
			.version(HttpClient.Version.HTTP_1_1)
			.connectTimeout(Duration.ofSeconds(5))
			.build();
		int apacheLength = apacheCall();
		int jdkLength = jdkCall();
		if (apacheLength < 1024 || apacheLength != jdkLength) {
			throw new IllegalStateException("the upstream's answers differ or are too short: " + apacheLength + " / "
					+ jdkLength + " bytes");
		}
	}

	@TearDown(Level.Trial)
	public void stop() throws IOException {
		this.apache.close();
		this.connections.close();
		this.upstream.close();
	}

	@Benchmark
	public int apacheHttpClient5() throws IOException {
		return apacheCall();
	}

	@Benchmark
	public int javaNetHttp() throws IOException, InterruptedException {
		return jdkCall();
	}

	private int apacheCall() throws IOException {
		HttpPost post = new HttpPost(this.uri);
		post.setHeader("Accept", "application/json, text/event-stream");
		post.setHeader("Mcp-Session-Id", "bench-upstream-session");
		post.setHeader("MCP-Protocol-Version", "2025-11-25");
		post.setEntity(new ByteArrayEntity(CALL, ContentType.APPLICATION_JSON));
		return this.apache.execute(post, (ClassicHttpResponse response) -> {
			if (response.getCode() != 200) {
				throw new IOException("status " + response.getCode());
			}
			try (InputStream in = response.getEntity().getContent()) {
				return in.readAllBytes().length;
			}
		});
	}

	private int jdkCall() throws IOException, InterruptedException {
		HttpRequest request = HttpRequest.newBuilder(this.uri)
			.header("Accept", "application/json, text/event-stream")
			.header("Content-Type", "application/json")
			.header("Mcp-Session-Id", "bench-upstream-session")
			.header("MCP-Protocol-Version", "2025-11-25")
			.POST(HttpRequest.BodyPublishers.ofByteArray(CALL))
			.build();
		HttpResponse<byte[]> response = this.jdk.send(request, HttpResponse.BodyHandlers.ofByteArray());
		if (response.statusCode() != 200) {
			throw new IOException("status " + response.statusCode());
		}
		return response.body().length;
	}

}
