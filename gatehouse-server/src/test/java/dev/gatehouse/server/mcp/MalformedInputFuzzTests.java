package dev.gatehouse.server.mcp;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;

import dev.gatehouse.server.testing.AuditCapture;
import dev.gatehouse.server.testing.IdentityFixture;
import dev.gatehouse.server.testing.McpTestClient;
import dev.gatehouse.server.testing.ByteHttp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A bounded fuzz of the two edges anyone can reach, with a fixed seed so that a failure repeats: thousands of
 * generated {@code Authorization} headers (JWE-shaped, any number of parts, not Base64, up to 7.6 KB, binary, odd
 * schemes, real tokens altered) on {@code /mcp} and the admin API, and thousands of generated JSON-RPC bodies
 * (altered valid requests, random bytes, deep nesting, lone surrogates, odd numbers) on a real session. No answer is
 * a 5xx, none hangs, none carries a stack trace, no bad credential is accepted, and every refused credential is
 * audited.
 */
class MalformedInputFuzzTests {

	static final long SEED = 20261208L;

	static final Duration ANSWER_WITHIN = Duration.ofSeconds(10);

	static IdentityFixture fixture;

	static AuditCapture audit;

	static String token;

	@BeforeAll
	static void start() {
		fixture = IdentityFixture.start();
		audit = AuditCapture.attach();
		token = fixture.token("alice");
	}

	@AfterAll
	static void stop() {
		audit.close();
		fixture.close();
	}

	@Test
	void generatedAuthorizationHeadersAreRefusedWith4xxAndAuditedNeverA5xx() {
		Random random = new Random(SEED);
		Headers headers = new Headers(random, token);
		audit.clear();
		int refused = 0;
		for (int i = 0; i < 2500; i++) {
			byte[] value = headers.next();
			boolean admin = (i % 2 == 1);
			byte[] head = concat((admin ? "GET /admin/api/targets HTTP/1.1" : "POST /mcp HTTP/1.1")
				+ "\r\nContent-Type: application/json\r\nAccept: application/json, text/event-stream\r\nAuthorization: ",
					value);
			byte[] body = admin ? new byte[0] : INITIALIZE.getBytes(StandardCharsets.UTF_8);
			ByteHttp.Response response = ByteHttp.send(fixture.gateway().port(), head, body, ANSWER_WITHIN);
			String what = "Authorization: " + printable(value) + " on " + (admin ? "the admin API" : "/mcp");
			assertNoServerErrorNorTrace(response, what);
			assertThat(response.status()).as("no bad credential is accepted: %s", what).isIn(400, 401);
			if (response.status() == 401) {
				refused++;
				assertThat(response.headers().get("www-authenticate")).as(what).startsWith("Bearer ");
			}
		}
		int expected = refused;
		assertThat(expected).as("most headers reach the authenticator").isGreaterThan(2000);
		await().atMost(Duration.ofSeconds(30)).until(() -> audit.ofType("authentication_failed").size() >= expected);
		assertThat(audit.text()).as("no token is recorded").doesNotContain(token);
	}

	@Test
	void aJweShapedTokenGets401InvalidTokenAndIsAudited() {
		audit.clear();
		String jwe = "eyJhbGciOiJSU0EtT0FFUCIsImVuYyI6IkEyNTZHQ00ifQ.a.b.c.d";
		for (String path : List.of("POST /mcp HTTP/1.1", "GET /admin/api/targets HTTP/1.1")) {
			ByteHttp.Response response = ByteHttp.send(fixture.gateway().port(),
					(path + "\r\nContent-Type: application/json\r\nAccept: application/json, text/event-stream"
							+ "\r\nAuthorization: Bearer " + jwe).getBytes(StandardCharsets.ISO_8859_1),
					path.startsWith("POST") ? INITIALIZE.getBytes(StandardCharsets.UTF_8) : new byte[0], ANSWER_WITHIN);

			assertThat(response.status()).as(response.body()).isEqualTo(401);
			assertThat(response.headers().get("www-authenticate")).contains("error=\"invalid_token\"")
				.contains("encrypted tokens (JWE) are not accepted");
		}
		assertThat(audit.awaitType("authentication_failed", "JWE")).hasSizeGreaterThanOrEqualTo(2);
		assertThat(audit.ofType("tool_call")).isEmpty();
	}

	@Test
	void generatedJsonRpcBodiesOnARealSessionNeverGiveA5xxNorHang() {
		McpTestClient client = fixture.client(token);
		client.initialize();
		Random random = new Random(SEED + 1);
		Bodies bodies = new Bodies(random);
		int answered = 0;
		for (int i = 0; i < 2500; i++) {
			byte[] body = bodies.next();
			byte[] head = ("POST /mcp HTTP/1.1\r\nContent-Type: application/json\r\nAccept: application/json, "
					+ "text/event-stream\r\nMCP-Protocol-Version: 2025-11-25\r\nMcp-Session-Id: " + client.sessionId()
					+ "\r\nAuthorization: Bearer " + token).getBytes(StandardCharsets.ISO_8859_1);
			ByteHttp.Response response = ByteHttp.send(fixture.gateway().port(), head, body, ANSWER_WITHIN);
			assertNoServerErrorNorTrace(response, "body " + printable(body));
			if (response.status() == 200) {
				answered++;
			}
		}
		assertThat(answered).as("some altered requests are still valid and answered").isPositive();
		assertThat(client.result("tools/call", "{\"name\":\"demo-tools___echo\",\"arguments\":{\"text\":\"after\"}}")
			.toString()).as("the gateway still serves the session").contains("after");
	}

	private static void assertNoServerErrorNorTrace(ByteHttp.Response response, String what) {
		assertThat(response.status()).as("%s answered %s", what, response.body()).isLessThan(500);
		assertThat(response.body()).as(what)
			.doesNotContain("Exception")
			.doesNotContain("\tat ")
			.doesNotContain("at java.")
			.doesNotContain("at dev.gatehouse")
			.doesNotContain("at org.");
	}

	static final String INITIALIZE = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{"
			+ "\"protocolVersion\":\"2025-11-25\",\"capabilities\":{},\"clientInfo\":{\"name\":\"fuzz\",\"version\":\"1\"}}}";

	/** Authorization header values, of many malformed kinds, and real tokens altered. */
	static final class Headers {

		static final int MAX_HEADER = 7600;

		private final Random random;

		private final String realToken;

		private final List<Supplier<String>> kinds = new ArrayList<>();

		Headers(Random random, String realToken) {
			this.random = random;
			this.realToken = realToken;
			kinds.add(() -> "Bearer " + b64("{\"alg\":\"" + pick("RSA-OAEP", "dir", "A256KW", "ECDH-ES") + "\",\"enc\":\""
					+ pick("A256GCM", "A128CBC-HS256", "") + "\"}") + "." + parts(4));
			kinds.add(() -> "Bearer " + parts(1 + random.nextInt(7)));
			kinds.add(() -> "Bearer " + b64(json(2)) + "." + b64(claims()) + "." + b64url(random.nextInt(80)));
			kinds.add(() -> "Bearer " + b64("{\"alg\":\"" + pick("none", "RS256", "HS256", "ES256", "", "nope")
					+ "\"}") + "." + b64(claims()) + "." + pick("", b64url(40)));
			kinds.add(() -> "Bearer " + printableAscii(1 + random.nextInt(200)));
			kinds.add(() -> "Bearer " + "a".repeat(4000 + random.nextInt(3500)));
			kinds.add(() -> "Bearer " + parts(3).repeat(10 + random.nextInt(30)));
			kinds.add(() -> pick("bearer ", "BEARER ", "Basic ", "Token ", "Bearer", "Bearer  ", ", Bearer ", "Bearer\t",
					"DPoP ", "") + pick(realToken.substring(0, 20), "", parts(3)));
			kinds.add(this::alteredRealToken);
		}

		byte[] next() {
			int kind = random.nextInt(kinds.size() + 2);
			if (kind == kinds.size()) {
				return binary(0x80, 0x100);
			}
			if (kind == kinds.size() + 1) {
				return binary(0x00, 0x100);
			}
			String value = kinds.get(kind).get();
			// Below Tomcat's 8 KB request head: a larger head is refused by Tomcat itself (400) before the gateway
			// sees it, and its connection reset can swallow that answer.
			return value.substring(0, Math.min(value.length(), MAX_HEADER)).getBytes(StandardCharsets.ISO_8859_1);
		}

		/** "Bearer " and bytes from {@code from} to {@code to}, never CR or LF (they would end the header). */
		private byte[] binary(int from, int to) {
			ByteArrayOutputStream out = new ByteArrayOutputStream();
			out.writeBytes("Bearer ".getBytes(StandardCharsets.ISO_8859_1));
			int length = 1 + random.nextInt(300);
			for (int i = 0; i < length; i++) {
				int b = from + random.nextInt(to - from);
				out.write((b == '\r' || b == '\n') ? 'x' : b);
			}
			return out.toByteArray();
		}

		/** A real token with one character of its header or claims changed: its signature no longer matches. */
		private String alteredRealToken() {
			int signatureStart = realToken.lastIndexOf('.');
			char[] chars = realToken.toCharArray();
			int at;
			do {
				at = random.nextInt(signatureStart);
			}
			while (chars[at] == '.');
			char replacement;
			do {
				replacement = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".charAt(random.nextInt(64));
			}
			while (replacement == chars[at]);
			chars[at] = replacement;
			return "Bearer " + new String(chars);
		}

		private String claims() {
			return pick("{\"iss\":" + pick("\"" + printableAscii(10).replace("\"", "") + "\"", "42", "[]", "{}", "null",
					"\"http://127.0.0.1:1/\"") + ",\"sub\":\"x\"}", "[1,2]", "\"text\"", "{", "{\"iss\":\"a\",\"iss\":\"b\"}",
					json(3), "");
		}

		private String json(int depth) {
			if (depth == 0) {
				return pick("1", "-0", "1e400", "\"s\"", "true", "null", "\"\\ud800\"", "\"\\u0000\"");
			}
			return switch (random.nextInt(3)) {
				case 0 -> "{\"" + pick("alg", "typ", "kid", "iss", "x") + "\":" + json(depth - 1) + "}";
				case 1 -> "[" + json(depth - 1) + "," + json(depth - 1) + "]";
				default -> json(0);
			};
		}

		private String parts(int count) {
			List<String> parts = new ArrayList<>();
			for (int i = 0; i < count; i++) {
				parts.add(random.nextInt(4) == 0 ? printableAscii(random.nextInt(20)).replace(".", "")
						: b64url(random.nextInt(60)));
			}
			return String.join(".", parts);
		}

		private String b64(String text) {
			return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
		}

		private String b64url(int bytes) {
			byte[] raw = new byte[bytes];
			random.nextBytes(raw);
			return Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
		}

		private String printableAscii(int length) {
			StringBuilder text = new StringBuilder();
			for (int i = 0; i < length; i++) {
				text.append((char) (0x21 + random.nextInt(0x7e - 0x21 + 1)));
			}
			return text.toString();
		}

		private String pick(String... choices) {
			return choices[random.nextInt(choices.length)];
		}
	}

	/** JSON-RPC bodies: valid requests altered a few times, random bytes, and pathological JSON. */
	static final class Bodies {

		static final List<String> TEMPLATES = List.of(
				"{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"tools/list\",\"params\":{}}",
				"{\"jsonrpc\":\"2.0\",\"id\":\"a\",\"method\":\"tools/call\",\"params\":{\"name\":\"demo-tools___echo\","
						+ "\"arguments\":{\"text\":\"hi\"}}}",
				"{\"jsonrpc\":\"2.0\",\"id\":8,\"method\":\"tools/call\",\"params\":{\"name\":\"demo-tools___add\","
						+ "\"arguments\":{\"a\":1,\"b\":2},\"_meta\":{\"progressToken\":\"p\"}}}",
				"{\"jsonrpc\":\"2.0\",\"id\":9,\"method\":\"prompts/get\",\"params\":{\"name\":\"demo-tools___greeting\","
						+ "\"arguments\":{\"name\":\"x\"}}}",
				"{\"jsonrpc\":\"2.0\",\"id\":10,\"method\":\"resources/read\",\"params\":{\"uri\":\"demo-tools+demo://readme\"}}",
				"{\"jsonrpc\":\"2.0\",\"id\":11,\"method\":\"completion/complete\",\"params\":{\"ref\":{\"type\":\"ref/prompt\","
						+ "\"name\":\"demo-tools___greeting\"},\"argument\":{\"name\":\"name\",\"value\":\"a\"}}}",
				"{\"jsonrpc\":\"2.0\",\"id\":12,\"method\":\"logging/setLevel\",\"params\":{\"level\":\"debug\"}}",
				"{\"jsonrpc\":\"2.0\",\"id\":13,\"method\":\"resources/subscribe\",\"params\":{\"uri\":\"demo-tools+demo://readme\"}}",
				"{\"jsonrpc\":\"2.0\",\"id\":14,\"method\":\"ping\"}",
				"{\"jsonrpc\":\"2.0\",\"method\":\"notifications/cancelled\",\"params\":{\"requestId\":7}}",
				"{\"jsonrpc\":\"2.0\",\"id\":15,\"result\":{}}",
				"[{\"jsonrpc\":\"2.0\",\"id\":16,\"method\":\"ping\"}]",
				"{\"jsonrpc\":\"2.0\",\"id\":17,\"method\":\"tools/list\",\"params\":{\"cursor\":\"abc\"}}");

		static final String ALPHABET = "{}[]\",:0123456789abcdefghijklmnopqrstuvwxyz\\ -.eE+_/\u00e9\u4e2d";

		private final Random random;

		Bodies(Random random) {
			this.random = random;
		}

		byte[] next() {
			int kind = random.nextInt(10);
			if (kind == 0) {
				byte[] raw = new byte[random.nextInt(300)];
				random.nextBytes(raw);
				return raw;
			}
			if (kind == 1) {
				int depth = 500 + random.nextInt(5000);
				String open = random.nextBoolean() ? "[" : "{\"a\":";
				String close = open.equals("[") ? "]" : "}";
				return ("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{\"name\":\"demo-tools___echo\","
						+ "\"arguments\":{\"text\":" + open.repeat(depth) + "1" + close.repeat(depth) + "}}}")
					.getBytes(StandardCharsets.UTF_8);
			}
			StringBuilder text = new StringBuilder(TEMPLATES.get(random.nextInt(TEMPLATES.size())));
			int mutations = 1 + random.nextInt(5);
			for (int m = 0; m < mutations && text.length() > 0; m++) {
				mutate(text);
			}
			return text.toString().getBytes(StandardCharsets.UTF_8);
		}

		private void mutate(StringBuilder text) {
			int at = random.nextInt(text.length());
			switch (random.nextInt(6)) {
				case 0 -> text.deleteCharAt(at);
				case 1 -> text.insert(at, ALPHABET.charAt(random.nextInt(ALPHABET.length())));
				case 2 -> {
					int end = Math.min(text.length(), at + 1 + random.nextInt(20));
					text.insert(at, text.substring(at, end));
				}
				case 3 -> text.insert(at, pick("1e400", "-0", "18446744073709551616", "\"\\ud800\"", "null", "\"\\u0000\"",
						"\"" + "x".repeat(random.nextInt(20_000)) + "\"", "[]", "{}", "true"));
				case 4 -> text.replace(at, Math.min(text.length(), at + 1 + random.nextInt(8)), "");
				default -> {
					int quote = text.indexOf("\"", at);
					if (quote >= 0) {
						text.insert(quote + 1, pick("demo-tools___", "../", "%2F", "\\u002f", "___", "+", "demo-tools+"));
					}
				}
			}
		}

		private String pick(String... choices) {
			return choices[random.nextInt(choices.length)];
		}
	}

	private static byte[] concat(String head, byte[] value) {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		out.writeBytes(head.getBytes(StandardCharsets.ISO_8859_1));
		out.writeBytes(value);
		return out.toByteArray();
	}

	private static String printable(byte[] bytes) {
		StringBuilder text = new StringBuilder();
		for (int i = 0; i < Math.min(bytes.length, 300); i++) {
			int b = bytes[i] & 0xff;
			text.append((b >= 0x20 && b < 0x7f) ? String.valueOf((char) b) : String.format("\\x%02x", b));
		}
		return (bytes.length > 300) ? text + "… (" + bytes.length + " bytes)" : text.toString();
	}
}
