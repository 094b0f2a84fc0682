package dev.gatehouse.core.audit;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.gatehouse.core.crypto.Ed25519;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

class AuditChainTests {

	static final Instant AT = Instant.parse("2026-11-28T10:15:30Z");

	@Test
	void canonicalWhenFieldsInAnyOrderThenSameTextWithSortedMembers() {
		Map<String, Object> a = new LinkedHashMap<>();
		a.put("subject", "alice");
		a.put("latency_us", 12L);
		Map<String, Object> b = new LinkedHashMap<>();
		b.put("latency_us", 12L);
		b.put("subject", "alice");

		String text = AuditChain.canonical(new AuditEvent(7, AT, "tool_call", a));

		assertThat(text).isEqualTo(AuditChain.canonical(new AuditEvent(7, AT, "tool_call", b)))
			.isEqualTo("{\"at\":\"2026-11-28T10:15:30Z\",\"latency_us\":12,\"seq\":7,\"subject\":\"alice\","
					+ "\"type\":\"tool_call\"}");
		assertThat(ArgumentsDigest.canonical(JsonMapper.shared().readTree(text))).as("stable when re-read")
			.isEqualTo(text);
	}

	@Test
	void canonicalWhenTheClockHasNanosecondsThenTheTimeIsKeptToTheMicrosecondTheDatabasesStore() {
		AuditEvent event = new AuditEvent(1, Instant.parse("2026-12-08T03:09:49.123456789Z"), "tool_call", Map.of());

		assertThat(event.at()).isEqualTo(Instant.parse("2026-12-08T03:09:49.123456Z"));
		assertThat(AuditChain.canonical(event)).contains("\"at\":\"2026-12-08T03:09:49.123456Z\"");
		assertThat(event.withSequence(2).at()).isEqualTo(event.at());
	}

	@Test
	void verifyWhenChainIsIntactThenNoProblem() {
		assertThat(AuditChain.verify(AuditChain.GENESIS, chain(5))).isEmpty();
	}

	@Test
	void verifyWhenARecordIsEditedThenItsHashAndTheNextLinkFail() {
		List<AuditChain.Link> links = chain(4);
		AuditChain.Link edited = links.get(1);
		links.set(1, new AuditChain.Link(edited.seq(), edited.record().replace("alice", "mallory"),
				edited.previousHash(), edited.hash()));

		List<AuditChain.Problem> problems = AuditChain.verify(AuditChain.GENESIS, links);

		assertThat(problems).extracting(AuditChain.Problem::seq).containsExactly(2L);
		assertThat(problems.get(0).problem()).contains("edited");
	}

	@Test
	void verifyWhenARecordIsEditedAndRehashedThenTheNextLinkFails() {
		List<AuditChain.Link> links = chain(4);
		AuditChain.Link edited = links.get(1);
		String record = edited.record().replace("alice", "mallory");
		links.set(1, new AuditChain.Link(2, record, edited.previousHash(), AuditChain.hash(edited.previousHash(), record)));

		assertThat(AuditChain.verify(AuditChain.GENESIS, links)).extracting(AuditChain.Problem::seq).containsExactly(3L);
	}

	@Test
	void verifyWhenARecordIsDeletedThenTheGapAndTheBrokenLinkAreReported() {
		List<AuditChain.Link> links = chain(4);
		links.remove(2);

		List<AuditChain.Problem> problems = AuditChain.verify(AuditChain.GENESIS, links);

		assertThat(problems).extracting(AuditChain.Problem::problem)
			.anyMatch((p) -> p.contains("records 3 to 3 are missing"))
			.anyMatch((p) -> p.contains("not chained"));
	}

	@Test
	void verifyWhenRecordsAreSwappedThenTheSequenceNumbersDisagree() {
		List<AuditChain.Link> links = chain(3);
		AuditChain.Link one = links.get(0);
		AuditChain.Link two = links.get(1);
		links.set(0, new AuditChain.Link(1, two.record(), one.previousHash(), AuditChain.hash(one.previousHash(), two.record())));

		assertThat(AuditChain.verify(AuditChain.GENESIS, links)).extracting(AuditChain.Problem::problem)
			.anyMatch((p) -> p.contains("another sequence number"));
	}

	@Test
	void checkpointSignatureWhenPayloadChangesThenDoesNotVerify() {
		byte[][] keys = Ed25519.generate();
		byte[] payload = AuditChain.checkpointPayload(LocalDate.of(2026, 11, 27), 1, 10, 10, "ab".repeat(32));
		byte[] signature = Ed25519.sign(keys[0], payload);

		assertThat(Ed25519.verify(keys[1], payload, signature)).isTrue();
		assertThat(Ed25519.verify(keys[1], AuditChain.checkpointPayload(LocalDate.of(2026, 11, 27), 1, 9, 9,
				"ab".repeat(32)), signature)).isFalse();
		assertThat(Ed25519.verify(Ed25519.generate()[1], payload, signature)).as("another key").isFalse();
		assertThat(Ed25519.verify(new byte[] { 1, 2, 3 }, payload, signature)).as("garbage key").isFalse();
	}

	@Test
	void redactionWhenNestedSensitiveMembersThenReplacedAndTruncated() {
		ArgumentsRedaction redaction = new ArgumentsRedaction(Set.of("password", "Token"), 60);
		String text = redaction.apply(JsonMapper.shared().readTree(
				"{\"user\":\"a\",\"auth\":{\"accessToken\":\"s3cr3t\"},\"list\":[{\"PASSWORD\":\"x\"}]}"));

		assertThat(text).doesNotContain("s3cr3t").doesNotContain("\"x\"").contains("[REDACTED]");
		assertThat(new ArgumentsRedaction(Set.of(), 10).apply(JsonMapper.shared().readTree("{\"long\":\"abcdefghij\"}")))
			.endsWith("…(truncated)");
	}

	private static List<AuditChain.Link> chain(int n) {
		List<AuditChain.Link> links = new ArrayList<>();
		String previous = AuditChain.GENESIS;
		for (int i = 1; i <= n; i++) {
			String record = AuditChain.canonical(new AuditEvent(i, AT, "tool_call", Map.of("subject", "alice", "n", i)));
			String hash = AuditChain.hash(previous, record);
			links.add(new AuditChain.Link(i, record, previous, hash));
			previous = hash;
		}
		return links;
	}
}
