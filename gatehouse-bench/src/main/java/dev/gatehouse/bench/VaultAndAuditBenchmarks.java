package dev.gatehouse.bench;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.gatehouse.core.audit.AuditChain;
import dev.gatehouse.core.audit.AuditEvent;
import dev.gatehouse.core.crypto.Aad;
import dev.gatehouse.core.crypto.Envelope;
import dev.gatehouse.core.crypto.KeyRing;
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

/**
 * The OAuth broker's and the audit trail's per-call steps: opening a vault-sealed upstream access token (what a
 * call pays when the token is not in the in-memory cache: AAD build + AES-256-GCM open of a ~1 KiB JWT), sealing
 * one (every refresh), and building a tool-call audit record (canonical JSON + chained SHA-256, on the writer
 * thread, not the request thread).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class VaultAndAuditBenchmarks {

	private Envelope envelope;

	private byte[] token;

	private byte[] sealed;

	private AuditEvent event;

	@Setup
	public void setup() {
		byte[] key = new byte[32];
		new SecureRandom().nextBytes(key);
		envelope = new Envelope(KeyRing.of(1, key));
		token = new byte[1024];
		for (int i = 0; i < token.length; i++) {
			token[i] = (byte) ('a' + (i % 26));
		}
		sealed = envelope.seal(token, aad());
		Map<String, Object> fields = new LinkedHashMap<>();
		fields.put("issuer", "https://idp.example.com");
		fields.put("subject", "alice");
		fields.put("client_id", "agent-7f1c");
		fields.put("session", "fce0ef366a41921e5dffbd5cd053a71e");
		fields.put("tool", "risk-assessment-mcp___get_credit_rating");
		fields.put("target", "risk-assessment-mcp");
		fields.put("upstream_tool", "get_credit_rating");
		fields.put("decision", "allow");
		fields.put("rule", "risk-analysts");
		fields.put("reason", "rule 'risk-analysts' allows role(s) [risk-analyst] the tool 'get_credit_rating'");
		fields.put("outcome", "success");
		fields.put("upstream_status", 200);
		fields.put("latency_us", 3999L);
		fields.put("upstream_latency_us", 3100L);
		fields.put("arguments_digest", "sha256:6e054557cb13c88627368b89353effb8110a241170d4b19479a5d668d93ff5c6");
		event = new AuditEvent(1840, Instant.parse("2026-11-28T08:17:30.678Z"), "tool_call", fields);
	}

	private static byte[] aad() {
		return Aad.of("grant-v1", "https://idp.example.com", "alice", "risk-assessment-mcp", "access_token");
	}

	@Benchmark
	public byte[] vaultOpenAccessToken() {
		return envelope.open(sealed, aad());
	}

	@Benchmark
	public byte[] vaultSealAccessToken() {
		return envelope.seal(token, aad());
	}

	@Benchmark
	public String auditRecordBuildAndChain() {
		String record = AuditChain.canonical(event);
		return AuditChain.hash("ab".repeat(32), record);
	}
}
