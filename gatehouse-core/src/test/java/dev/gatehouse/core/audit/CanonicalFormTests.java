package dev.gatehouse.core.audit;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The canonical form is a stored format (audit hashes, catalog definition hashes): the streaming writer must give
 * exactly the text of the first implementation, which serialised each member name and leaf with
 * {@code JsonNode.toString()}. That implementation is kept here as the reference.
 */
class CanonicalFormTests {

	private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

	private static final String[] AWKWARD = { "", "a", "\"", "\\", "/", "</script>", "\u0000", "\u0001\u001f",
			"\b\f\n\r\t", "\u007f", "\u0085", "\u00e9t\u00e9", "\u2028\u2029", "\ud83d\ude00", "\ud800", "x\udc00y",
			"\ufffe\uffff", "line\nbreak", "tab\there", "\u65e5\u672c", "'single'", "{\"json\":1}" };

	@Test
	void awkwardStringsAsNamesAndValuesAreWrittenAsBefore() {
		for (String text : AWKWARD) {
			ObjectNode node = NODES.objectNode();
			node.put(text, text);
			node.putArray("list").add(text);
			assertSame(node);
			assertSame(NODES.stringNode(text));
		}
	}

	@Test
	void everyKindOfNumberIsWrittenAsBefore() {
		ArrayNode numbers = NODES.arrayNode();
		numbers.add(0).add(-1).add(Integer.MAX_VALUE).add(Long.MIN_VALUE).add(1.5d).add(-0.0d).add(1e300d).add(1e-7d)
			.add(0.1f).add(Double.NaN).add(Double.POSITIVE_INFINITY).add((short) 7)
			.add(new BigInteger("123456789012345678901234567890"))
			.add(new BigDecimal("1E+3"))
			.add(new BigDecimal("0.000"))
			.add(new BigDecimal("-12.3400"));
		assertSame(numbers);
	}

	@Test
	void otherLeavesAreWrittenAsBefore() {
		ArrayNode leaves = NODES.arrayNode();
		leaves.add(true).add(false).addNull().add(new byte[] { 1, 2, 3, (byte) 0xff });
		leaves.addPOJO(java.util.Map.of("k", "v"));
		leaves.add(NODES.missingNode());
		assertSame(leaves);
		assertSame(null);
		assertSame(NODES.missingNode());
		assertSame(NODES.nullNode());
	}

	@Test
	void randomTreesAreWrittenAsBefore() {
		Random random = new Random(20261128);
		for (int i = 0; i < 2000; i++) {
			assertSame(tree(random, 0));
		}
	}

	private static void assertSame(@Nullable JsonNode node) {
		assertThat(ArgumentsDigest.canonical(node)).isEqualTo(reference(node));
	}

	private static JsonNode tree(Random random, int depth) {
		int kind = random.nextInt(depth > 4 ? 6 : 8);
		return switch (kind) {
			case 0 -> NODES.stringNode(text(random));
			case 1 -> NODES.numberNode(random.nextLong());
			case 2 -> NODES.numberNode(random.nextDouble() * Math.pow(10, random.nextInt(40) - 20));
			case 3 -> NODES.booleanNode(random.nextBoolean());
			case 4 -> NODES.nullNode();
			case 5 -> NODES.numberNode(new BigDecimal(BigInteger.valueOf(random.nextLong()), random.nextInt(20) - 10));
			case 6 -> {
				ArrayNode array = NODES.arrayNode();
				for (int n = random.nextInt(5); n > 0; n--) {
					array.add(tree(random, depth + 1));
				}
				yield array;
			}
			default -> {
				ObjectNode object = NODES.objectNode();
				for (int n = random.nextInt(6); n > 0; n--) {
					object.set(text(random), tree(random, depth + 1));
				}
				yield object;
			}
		};
	}

	private static String text(Random random) {
		StringBuilder text = new StringBuilder();
		for (int n = random.nextInt(12); n > 0; n--) {
			int pick = random.nextInt(10);
			if (pick < 6) {
				text.append((char) ('a' + random.nextInt(26)));
			}
			else if (pick < 8) {
				text.append(AWKWARD[random.nextInt(AWKWARD.length)]);
			}
			else {
				text.append((char) random.nextInt(0x10000));
			}
		}
		return text.toString();
	}

	/** The first implementation of {@link ArgumentsDigest#canonical}, verbatim. */
	private static String reference(@Nullable JsonNode value) {
		StringBuilder out = new StringBuilder();
		write(value, out);
		return out.toString();
	}

	private static void write(@Nullable JsonNode node, StringBuilder out) {
		if (node == null || node.isNull() || node.isMissingNode()) {
			out.append("null");
		}
		else if (node.isObject()) {
			List<String> names = new ArrayList<>(node.propertyNames());
			Collections.sort(names);
			out.append('{');
			for (int i = 0; i < names.size(); i++) {
				if (i > 0) {
					out.append(',');
				}
				out.append(JsonNodeFactory.instance.stringNode(names.get(i)).toString());
				out.append(':');
				write(node.get(names.get(i)), out);
			}
			out.append('}');
		}
		else if (node.isArray()) {
			out.append('[');
			for (int i = 0; i < node.size(); i++) {
				if (i > 0) {
					out.append(',');
				}
				write(node.get(i), out);
			}
			out.append(']');
		}
		else {
			out.append(node.toString());
		}
	}
}
