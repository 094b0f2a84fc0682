package dev.gatehouse.bench;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.concurrent.TimeUnit;

import dev.gatehouse.core.audit.ArgumentsDigest;
import dev.gatehouse.core.crypto.Envelope;
import dev.gatehouse.core.crypto.KeyRing;
import dev.gatehouse.core.jsonrpc.JsonRpcCodec;
import dev.gatehouse.core.jsonrpc.JsonRpcMessage;
import dev.gatehouse.core.jsonrpc.Utf8Validator;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import tools.jackson.databind.JsonNode;

/**
 * The hot-path steps that exist today: reading a {@code tools/call} envelope, opening a sealed session id
 * (AES-256-GCM), and the argument digest of the audit record.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class HotPathBenchmarks {

	private final JsonRpcCodec codec = new JsonRpcCodec();

	private byte[] toolsCall;

	private byte[] nonAscii;

	private Envelope envelope;

	private byte[] sealedSession;

	private JsonNode arguments;

	private static final byte[] AAD = "gatehouse/mcp-session/v1".getBytes(StandardCharsets.US_ASCII);

	@Setup
	public void setup() {
		StringBuilder text = new StringBuilder();
		while (text.length() < 900) {
			text.append("lorem ipsum dolor sit amet ");
		}
		toolsCall = ("{\"jsonrpc\":\"2.0\",\"id\":42,\"method\":\"tools/call\",\"params\":{\"name\":\"demo-tools___echo\","
				+ "\"arguments\":{\"text\":\"" + text + "\"},\"_meta\":{\"progressToken\":7}}}")
			.getBytes(StandardCharsets.UTF_8);
		byte[] key = new byte[32];
		new SecureRandom().nextBytes(key);
		envelope = new Envelope(KeyRing.of(1, key).derive("gatehouse/mcp-session/v1"));
		sealedSession = envelope.seal(new byte[43], AAD);
		arguments = codec.parseJson(toolsCall).get("params").get("arguments");
		StringBuilder mixed = new StringBuilder();
		while (mixed.length() < 300) {
			mixed.append("é€𝄞ü");
		}
		nonAscii = mixed.toString().getBytes(StandardCharsets.UTF_8);
	}

	@Benchmark
	public JsonRpcMessage parseToolsCall1KiB() {
		return codec.toMessage(codec.parseJson(toolsCall));
	}

	/** The strict UTF-8 check {@code parseJson} runs first (an ASCII body: the fast path). */
	@Benchmark
	public int checkUtf8ToolsCall1KiB() {
		return Utf8Validator.firstMalformed(toolsCall);
	}

	/** The same check on 1 KiB of two-, three- and four-byte sequences. */
	@Benchmark
	public int checkUtf8NonAscii1KiB() {
		return Utf8Validator.firstMalformed(nonAscii);
	}

	@Benchmark
	public byte[] openSessionId() {
		return envelope.open(sealedSession, AAD);
	}

	@Benchmark
	public String argumentsDigest() {
		return ArgumentsDigest.of(arguments);
	}
}
