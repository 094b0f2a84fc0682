package dev.gatehouse.demo.risk;

import dev.gatehouse.demo.ToolResults;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.spec.McpSchema.CallToolRequest;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.Tool;
import io.modelcontextprotocol.spec.McpSchema.ToolAnnotations;

/**
 * {@code get_credit_rating}: the long-term issuer rating of a company from a fixed table
 * of fictional companies. Names match case-insensitively, ignoring surrounding and
 * repeated whitespace.
 */
final class CreditRatingTool {

	static final String NAME = "get_credit_rating";

	/**
	 * One row of the table.
	 *
	 * @param company the canonical name
	 * @param rating an S&amp;P-style rating such as {@code BBB+}
	 * @param outlook STABLE, POSITIVE or NEGATIVE
	 */
	record CreditRating(String company, String rating, String outlook) {

		/** Investment grade is BBB- or better. */
		boolean investmentGrade() {
			return SCALE.indexOf(this.rating) <= SCALE.indexOf("BBB-");
		}

	}

	/** The rating scale, best first. */
	static final List<String> SCALE = List.of("AAA", "AA+", "AA", "AA-", "A+", "A", "A-", "BBB+", "BBB", "BBB-", "BB+",
			"BB", "BB-", "B+", "B", "B-", "CCC+", "CCC", "CCC-", "CC", "C", "D");

	static final List<CreditRating> TABLE = List.of(new CreditRating("Acme Corporation", "AA", "STABLE"),
			new CreditRating("Cyberdyne Systems", "BBB-", "NEGATIVE"),
			new CreditRating("Globex Corporation", "BBB+", "POSITIVE"), new CreditRating("Initech", "BB-", "NEGATIVE"),
			new CreditRating("Soylent Corp", "B", "STABLE"), new CreditRating("Stark Industries", "AAA", "STABLE"),
			new CreditRating("Umbrella Corporation", "CCC", "NEGATIVE"),
			new CreditRating("Wayne Enterprises", "AA+", "STABLE"));

	private static final Map<String, CreditRating> BY_KEY = TABLE.stream()
		.collect(Collectors.toUnmodifiableMap(rating -> key(rating.company()), rating -> rating));

	private CreditRatingTool() {
	}

	static SyncToolSpecification specification() {
		return SyncToolSpecification.builder()
			.tool(Tool
				.builder(NAME,
						ToolResults
							.schema("""
									{
									  "type": "object",
									  "properties": {"company": {"type": "string", "description": "Company name, e.g. Acme Corporation"}},
									  "required": ["company"],
									  "additionalProperties": false
									}"""))
				.title("Get credit rating")
				.description("Returns the long-term issuer credit rating and outlook of a company from a fixed table "
						+ "of fictional companies.")
				.outputSchema(ToolResults.schema("""
						{
						  "type": "object",
						  "properties": {
						    "company": {"type": "string"},
						    "rating": {"type": "string"},
						    "outlook": {"type": "string", "enum": ["STABLE", "POSITIVE", "NEGATIVE"]},
						    "investmentGrade": {"type": "boolean"},
						    "scale": {"type": "string"}
						  },
						  "required": ["company", "rating", "outlook", "investmentGrade", "scale"]
						}"""))
				.annotations(
						ToolAnnotations.builder().readOnlyHint(true).idempotentHint(true).openWorldHint(false).build())
				.build())
			.callHandler((exchange, request) -> rate(request))
			.build();
	}

	static CallToolResult rate(CallToolRequest request) {
		Object company = (request.arguments() != null) ? request.arguments().get("company") : null;
		if (!(company instanceof String name) || name.isBlank()) {
			return ToolResults.error("'company' must be a non-empty string.");
		}
		CreditRating rating = BY_KEY.get(key(name));
		if (rating == null) {
			return ToolResults.error("No rating on file for '" + name.strip() + "'. Companies on file: "
					+ TABLE.stream().map(CreditRating::company).collect(Collectors.joining(", ")) + ".");
		}
		Map<String, Object> content = new LinkedHashMap<>();
		content.put("company", rating.company());
		content.put("rating", rating.rating());
		content.put("outlook", rating.outlook());
		content.put("investmentGrade", rating.investmentGrade());
		content.put("scale", "S&P-style long-term issuer rating (fictional)");
		return ToolResults.structured(content);
	}

	private static String key(String company) {
		return company.strip().replaceAll("\\s+", " ").toLowerCase(Locale.ROOT);
	}

}
