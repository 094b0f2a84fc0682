package dev.gatehouse.core.audit;

import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The audit trail's hash chain. Each stored record is a canonical JSON text (members sorted, no whitespace) that
 * includes its sequence number; its hash is {@code SHA-256(previousHash + "\n" + record)} in hex, and the first
 * record's previous hash is {@link #GENESIS}. Editing, inserting, reordering or deleting a record changes every
 * later hash. A daily checkpoint signs {@link #checkpointPayload} (the day's last sequence number and hash), so
 * that whole days can be verified, and deleted by retention, without the rest of the chain.
 *
 * <pre>{@code
 * String record = AuditChain.canonical(event.withSequence(42));
 * String hash = AuditChain.hash(previousHash, record);
 * List<Problem> problems = AuditChain.verify(previousHash, records);
 * }</pre>
 */
public final class AuditChain {

	/** The previous hash of the very first record. */
	public static final String GENESIS = "0".repeat(64);

	private AuditChain() {
	}

	/** The canonical text of a record: {@code seq}, {@code at}, {@code type} and the fields, members sorted. */
	public static String canonical(AuditEvent event) {
		ObjectNode node = JsonNodeFactory.instance.objectNode();
		node.put("seq", event.sequence());
		node.put("at", event.at().toString());
		node.put("type", event.type());
		for (Map.Entry<String, Object> field : event.fields().entrySet()) {
			put(node, field.getKey(), field.getValue());
		}
		return ArgumentsDigest.canonical(node);
	}

	/** The record's hash, chained to the previous one. */
	public static String hash(String previousHash, String canonicalRecord) {
		return ArgumentsDigest.sha256Hex(previousHash + "\n" + canonicalRecord);
	}

	/** What a daily checkpoint signs. */
	public static byte[] checkpointPayload(LocalDate day, long firstSeq, long lastSeq, long count, String lastHash) {
		return ("gatehouse-audit-checkpoint-v1\n" + day + "\n" + firstSeq + "\n" + lastSeq + "\n" + count + "\n"
				+ lastHash).getBytes(StandardCharsets.UTF_8);
	}

	/**
	 * A stored record of the chain.
	 *
	 * @param seq its sequence number
	 * @param record its canonical text
	 * @param previousHash the hash it was chained to
	 * @param hash its own hash
	 */
	public record Link(long seq, String record, String previousHash, String hash) {

		public Link {
			Objects.requireNonNull(record, "record must not be null");
			Objects.requireNonNull(previousHash, "previousHash must not be null");
			Objects.requireNonNull(hash, "hash must not be null");
		}
	}

	/**
	 * Something wrong with one record.
	 *
	 * @param seq the record's sequence number
	 * @param problem what is wrong, for a person
	 */
	public record Problem(long seq, String problem) {
	}

	/**
	 * Checks consecutive links: each one's previous hash is the hash before it (the first one's is
	 * {@code expectedPrevious}, when known), each hash is recomputed from the record, the record names its own
	 * sequence number, and sequence numbers have no gap.
	 * @param expectedPrevious the hash the first link must be chained to, or {@code null} to trust its own
	 */
	public static List<Problem> verify(@Nullable String expectedPrevious, Iterable<Link> links) {
		Verifier verifier = new Verifier(expectedPrevious);
		links.forEach(verifier::accept);
		return verifier.problems();
	}

	/**
	 * {@link #verify} one link at a time, for chains too long to hold in memory. Not thread-safe.
	 */
	public static final class Verifier {

		private final List<Problem> problems = new ArrayList<>();

		private @Nullable String previous;

		private long previousSeq = -1;

		private long checked;

		public Verifier(@Nullable String expectedPrevious) {
			this.previous = expectedPrevious;
		}

		/** Checks the next link; returns its parsed record, or {@code null} if it is not JSON. */
		public @Nullable JsonNode accept(Link link) {
			checked++;
			if (previousSeq >= 0 && link.seq() != previousSeq + 1) {
				problems.add(new Problem(link.seq(), "records " + (previousSeq + 1) + " to " + (link.seq() - 1)
						+ " are missing"));
			}
			if (previous != null && !previous.equals(link.previousHash())) {
				problems.add(new Problem(link.seq(), "not chained to the record before it (a record before it was "
						+ "edited, inserted or deleted)"));
			}
			if (!hash(link.previousHash(), link.record()).equals(link.hash())) {
				problems.add(new Problem(link.seq(), "its content does not match its hash (the record was edited)"));
			}
			JsonNode parsed = parse(link.record());
			if (parsed == null || !parsed.path("seq").isIntegralNumber() || parsed.get("seq").asLong() != link.seq()) {
				problems.add(new Problem(link.seq(), "its content names another sequence number (records were moved)"));
			}
			previous = link.hash();
			previousSeq = link.seq();
			return parsed;
		}

		/** Adds a problem found outside the chain itself (a search column, a checkpoint). */
		public void problem(long seq, String problem) {
			problems.add(new Problem(seq, problem));
		}

		public List<Problem> problems() {
			return List.copyOf(problems);
		}

		public long checked() {
			return checked;
		}

		/** The last hash seen, or the expected previous one before any link. */
		public @Nullable String lastHash() {
			return previous;
		}
	}

	private static @Nullable JsonNode parse(String text) {
		try {
			return tools.jackson.databind.json.JsonMapper.shared().readTree(text);
		}
		catch (RuntimeException ex) {
			return null;
		}
	}

	private static void put(ObjectNode node, String name, @Nullable Object value) {
		if (value == null) {
			node.putNull(name);
		}
		else if (value instanceof Integer i) {
			node.put(name, i);
		}
		else if (value instanceof Long l) {
			node.put(name, l);
		}
		else if (value instanceof Number n) {
			node.put(name, new java.math.BigDecimal(n.toString()));
		}
		else if (value instanceof Boolean b) {
			node.put(name, b);
		}
		else if (value instanceof JsonNode json) {
			node.set(name, json);
		}
		else {
			node.put(name, value.toString());
		}
	}
}
