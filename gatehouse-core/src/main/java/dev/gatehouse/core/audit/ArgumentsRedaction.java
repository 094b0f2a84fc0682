package dev.gatehouse.core.audit;

import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The copy of a call's arguments that the audit trail keeps for targets that opt in: every member whose name
 * contains one of the redacted words (case-insensitive, at any depth) becomes {@value #REDACTED}, and the text is
 * cut at a maximum length. Thread-safe (immutable).
 */
public final class ArgumentsRedaction {

	public static final String REDACTED = "[REDACTED]";

	private final Set<String> words;

	private final int maxChars;

	/**
	 * @param words member-name fragments whose values are never kept, such as {@code password}, {@code token}
	 * @param maxChars the longest text kept; longer ones end with {@code …(truncated)}
	 */
	public ArgumentsRedaction(Set<String> words, int maxChars) {
		this.words = words.stream().map((w) -> w.toLowerCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet());
		this.maxChars = maxChars;
	}

	/** The redacted canonical JSON of {@code arguments}. */
	public String apply(@Nullable JsonNode arguments) {
		String text = ArgumentsDigest.canonical(redact(arguments));
		return (text.length() <= maxChars) ? text : text.substring(0, maxChars) + "…(truncated)";
	}

	private @Nullable JsonNode redact(@Nullable JsonNode node) {
		if (node == null) {
			return null;
		}
		if (node.isObject()) {
			ObjectNode copy = JsonNodeFactory.instance.objectNode();
			for (Map.Entry<String, JsonNode> member : node.properties()) {
				copy.set(member.getKey(), sensitive(member.getKey()) ? JsonNodeFactory.instance.stringNode(REDACTED)
						: redact(member.getValue()));
			}
			return copy;
		}
		if (node.isArray()) {
			ArrayNode copy = JsonNodeFactory.instance.arrayNode();
			node.forEach((element) -> copy.add(redact(element)));
			return copy;
		}
		return node;
	}

	private boolean sensitive(String name) {
		String lower = name.toLowerCase(Locale.ROOT);
		return words.stream().anyMatch(lower::contains);
	}
}
