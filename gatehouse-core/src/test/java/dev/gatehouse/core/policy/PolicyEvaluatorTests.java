package dev.gatehouse.core.policy;

import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.gatehouse.core.access.Decision;
import dev.gatehouse.core.access.Decision.Effect;
import dev.gatehouse.core.target.FieldError;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.dataformat.yaml.YAMLMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PolicyEvaluatorTests {

	static final JsonMapper JSON = JsonMapper.builder().build();

	/** The seed article's example: a finance-analyst gets data:read only, not tool:execute. */
	static final String SEED = """
			mode: enforce
			roleMappings:
			  - {claim: roles, value: "*"}
			  - {claim: groups, value: finance, roles: [finance-analyst]}
			rules:
			  - id: finance-read
			    effect: allow
			    roles: [finance-analyst]
			    targets: [risk-assessment-mcp]
			    tools: ["get_*"]
			  - id: analysts
			    effect: allow
			    roles: [risk-analyst]
			    targets: [risk-assessment-mcp]
			  - id: no-large-portfolios
			    effect: deny
			    roles: ["*"]
			    targets: [risk-assessment-mcp]
			    tools: [analyze_portfolio_risk]
			    when: [{argument: notional, greaterThan: 1000000}]
			  - id: admins
			    effect: allow
			    roles: [admin]
			    targets: ["*"]
			upstreamScopes:
			  risk-assessment-mcp:
			    finance-analyst: ["data:read"]
			    risk-analyst: ["risk:analyze", "data:read"]
			""";

	static PolicyEvaluator seed() {
		return new PolicyEvaluator(PolicyDefinitions.parse(new YAMLMapper().readTree(SEED)));
	}

	static JsonNode args(String json) {
		return JSON.readTree(json);
	}

	@Test
	void decideWhenFinanceAnalystCallsAReadToolThenAllowedByItsRule() {
		Decision d = seed().decide(Set.of("finance-analyst"), "risk-assessment-mcp", "tool", "get_credit_rating",
				args("{}"));
		assertThat(d.effect()).isEqualTo(Effect.ALLOW);
		assertThat(d.rule()).isEqualTo("finance-read");
	}

	@Test
	void decideWhenFinanceAnalystCallsTheAnalysisToolThenDeniedByDefaultNamingRolesAndTool() {
		Decision d = seed().decide(Set.of("finance-analyst"), "risk-assessment-mcp", "tool", "analyze_portfolio_risk",
				args("{}"));
		assertThat(d.effect()).isEqualTo(Effect.DENY);
		assertThat(d.rule()).isEqualTo(PolicyEvaluator.DEFAULT_RULE);
		assertThat(d.reason()).contains("[finance-analyst]").contains("analyze_portfolio_risk")
			.contains("risk-assessment-mcp");
	}

	@Test
	void decideWhenRiskAnalystCallsTheAnalysisToolThenAllowedUnlessTheConditionDenies() {
		PolicyEvaluator policy = seed();
		assertThat(policy.decide(Set.of("risk-analyst"), "risk-assessment-mcp", "tool", "analyze_portfolio_risk",
				args("{\"notional\": 5000}")).effect()).isEqualTo(Effect.ALLOW);
		Decision big = policy.decide(Set.of("risk-analyst"), "risk-assessment-mcp", "tool", "analyze_portfolio_risk",
				args("{\"notional\": 2000000}"));
		assertThat(big.effect()).isEqualTo(Effect.DENY);
		assertThat(big.rule()).isEqualTo("no-large-portfolios");
		assertThat(big.reason()).contains("notional greaterThan 1000000");
	}

	@Test
	void decideWhenListingThenConditionalDenyDoesNotHideTheTool() {
		assertThat(seed().decide(Set.of("risk-analyst"), "risk-assessment-mcp", "tool", "analyze_portfolio_risk", null)
			.allowed()).isTrue();
	}

	@Test
	void decideWhenDenyAndAllowBothMatchThenDenyWins() {
		PolicyEvaluator policy = seed();
		Decision d = policy.decide(Set.of("admin"), "risk-assessment-mcp", "tool", "analyze_portfolio_risk",
				args("{\"notional\": 9999999}"));
		assertThat(d.effect()).isEqualTo(Effect.DENY);
		assertThat(d.rule()).isEqualTo("no-large-portfolios");
	}

	@Test
	void decideWhenLogOnlyThenWouldDenyIsAllowedAndNamesTheRule() {
		PolicyEvaluator policy = new PolicyEvaluator(
				PolicyDefinitions.parse(new YAMLMapper().readTree(SEED.replace("mode: enforce", "mode: log-only"))));
		Decision d = policy.decide(Set.of("finance-analyst"), "risk-assessment-mcp", "tool", "analyze_portfolio_risk",
				args("{}"));
		assertThat(d.effect()).isEqualTo(Effect.WOULD_DENY);
		assertThat(d.allowed()).isTrue();
		assertThat(d.reason()).startsWith("log-only mode, would be denied:");
	}

	@Test
	void decideWhenNoRoleThenDenied() {
		assertThat(seed().decide(Set.of(), "risk-assessment-mcp", "tool", "get_credit_rating", args("{}")).effect())
			.isEqualTo(Effect.DENY);
	}

	@Test
	void decideWhenRuleNamesOnlyToolsThenPromptsAreNotCovered() {
		assertThat(seed().decide(Set.of("finance-analyst"), "risk-assessment-mcp", "prompt", "get_summary", null)
			.effect()).isEqualTo(Effect.DENY);
		assertThat(seed().decide(Set.of("risk-analyst"), "risk-assessment-mcp", "prompt", "anything", null).effect())
			.isEqualTo(Effect.ALLOW);
	}

	@Test
	void rolesWhenClaimsCarryRolesAndGroupsThenMapped() {
		Set<String> roles = seed().roles(Map.of("roles", List.of("risk-analyst"), "groups", List.of("finance", "x")));
		assertThat(roles).containsExactlyInAnyOrder("risk-analyst", "finance-analyst");
	}

	@Test
	void rolesWhenKeycloakNestedClaimAndScopeStringThenMapped() {
		PolicyEvaluator policy = new PolicyEvaluator(PolicyDefinitions.parse(new YAMLMapper().readTree("""
				roleMappings:
				  - {claim: realm_access.roles, value: "*"}
				  - {claim: scope, value: "*", prefix: "scope:"}
				rules: [{id: r, effect: allow, roles: ["*"], targets: ["*"]}]
				""")));
		Set<String> roles = policy.roles(Map.of("realm_access", Map.of("roles", List.of("auditor")), "scope",
				"openid data:read"));
		assertThat(roles).containsExactlyInAnyOrder("auditor", "scope:openid", "scope:data:read");
	}

	@Test
	void upstreamScopesWhenRoleHasAGrantThenNarrowedInTheTargetsOrder() {
		PolicyEvaluator policy = seed();
		List<String> target = List.of("risk:analyze", "data:read", "tool:execute");
		assertThat(policy.upstreamScopes(Set.of("finance-analyst"), "risk-assessment-mcp", target))
			.containsExactly("data:read");
		assertThat(policy.upstreamScopes(Set.of("risk-analyst"), "risk-assessment-mcp", target))
			.containsExactly("risk:analyze", "data:read");
		assertThat(policy.upstreamScopes(Set.of("dave"), "risk-assessment-mcp", target)).isEmpty();
		assertThat(policy.upstreamScopes(Set.of("dave"), "unmentioned", target)).isEqualTo(target);
	}

	@Test
	void parseWhenInvalidThenEveryFieldIsNamed() {
		String bad = """
				mode: strict
				rules:
				  - {id: a, effect: maybe, roles: [], targets: [x], frobs: 1}
				  - {id: a, effect: allow, roles: [r], targets: [x], when: [{argument: n, lessThan: "ten"}]}
				  - {id: c, effect: allow, roles: [r], targets: [x], tools: [t], when: [{argument: n}]}
				  - {id: d, effect: allow, roles: [r], targets: [x], tools: [t], when: [{argument: n, matches: "("}]}
				roleMappings: [{claim: groups, value: finance}]
				""";
		assertThatThrownBy(() -> PolicyDefinitions.parse(new YAMLMapper().readTree(bad)))
			.isInstanceOfSatisfying(InvalidPolicyException.class, (ex) -> assertThat(
					ex.errors().stream().map(FieldError::field).toList())
				.contains("mode", "rules[0].effect", "rules[0].roles", "rules[0].frobs", "rules[1].id",
						"rules[1].when[0].lessThan", "rules[1].when", "rules[2].when[0]", "rules[3].when[0].matches",
						"roleMappings[0].roles"));
	}

	@Test
	void toJsonWhenParsedAgainThenSamePolicy() {
		Policy policy = seed().policy();
		assertThat(PolicyDefinitions.parse(PolicyDefinitions.toJson(policy)).toString()).isEqualTo(policy.toString());
	}

	@Test
	void openPolicyAllowsEveryAuthenticatedCaller() {
		PolicyEvaluator open = new PolicyEvaluator(Policy.openPolicy());
		assertThat(open.decide(Set.of(), "any", "tool", "thing", args("{}")).effect()).isEqualTo(Effect.ALLOW);
	}

	@Test
	void mayUseSomethingOfWhenAnAllowRuleConcernsTheRoleAndTargetThenTrue() {
		PolicyEvaluator policy = seed();
		assertThat(policy.mayUseSomethingOf(Set.of("finance-analyst"), "risk-assessment-mcp")).isTrue();
		assertThat(policy.mayUseSomethingOf(Set.of("risk-analyst"), "risk-assessment-mcp")).isTrue();
		assertThat(policy.mayUseSomethingOf(Set.of("admin"), "anything")).isTrue();
		assertThat(policy.mayUseSomethingOf(Set.of(), "risk-assessment-mcp")).isFalse();
		assertThat(policy.mayUseSomethingOf(Set.of("finance-analyst"), "other")).isFalse();
	}

	@Test
	void mayUseSomethingOfWhenADenyRuleCoversTheWholeTargetThenFalse() {
		PolicyEvaluator policy = new PolicyEvaluator(PolicyDefinitions.parse(new YAMLMapper().readTree("""
				mode: enforce
				rules:
				  - {id: all, effect: allow, roles: ["*"], targets: ["*"]}
				  - {id: not-risk, effect: deny, roles: [intern], targets: [risk-assessment-mcp]}
				""")));
		assertThat(policy.mayUseSomethingOf(Set.of("intern"), "risk-assessment-mcp")).isFalse();
		assertThat(policy.mayUseSomethingOf(Set.of("intern"), "demo-tools")).isTrue();
	}
}
