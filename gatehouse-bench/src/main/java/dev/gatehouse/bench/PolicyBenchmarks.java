package dev.gatehouse.bench;

import java.util.Set;
import java.util.concurrent.TimeUnit;

import dev.gatehouse.core.access.Decision;
import dev.gatehouse.core.policy.PolicyDefinitions;
import dev.gatehouse.core.policy.PolicyEvaluator;
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
import tools.jackson.databind.json.JsonMapper;

/**
 * Step 4 of the hot path: the access decision for one {@code tools/call}, with the seed policy's rules plus twenty
 * more targets' rules (so the evaluator has to skip non-matching rules) and an argument condition.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class PolicyBenchmarks {

	private PolicyEvaluator evaluator;

	private JsonNode arguments;

	private final Set<String> analyst = Set.of("risk-analyst");

	private final Set<String> finance = Set.of("finance-analyst");

	@Setup
	public void setup() {
		StringBuilder rules = new StringBuilder("""
				{"mode": "enforce", "roleMappings": [{"claim": "roles", "value": "*"}], "rules": [
				 {"id": "admins", "effect": "allow", "roles": ["admin"], "targets": ["*"]},
				 {"id": "risk-analysts", "effect": "allow", "roles": ["risk-analyst"], "targets": ["risk-assessment-mcp"]},
				 {"id": "finance-read-only", "effect": "allow", "roles": ["finance-analyst"],
				  "targets": ["risk-assessment-mcp"], "tools": ["get_*"]}""");
		for (int i = 0; i < 20; i++) {
			rules.append(",{\"id\": \"team-").append(i).append("\", \"effect\": \"allow\", \"roles\": [\"team-").append(i)
				.append("\"], \"targets\": [\"service-").append(i).append("\"]}");
		}
		rules.append("]}");
		evaluator = new PolicyEvaluator(PolicyDefinitions.parse(JsonMapper.shared().readTree(rules.toString())));
		arguments = JsonMapper.shared().readTree("{\"company\": \"Acme Corporation\"}");
	}

	@Benchmark
	public Decision allowRiskAnalyst() {
		return evaluator.decide(analyst, "risk-assessment-mcp", "tool", "analyze_portfolio_risk", arguments);
	}

	@Benchmark
	public Decision denyFinanceAnalyst() {
		return evaluator.decide(finance, "risk-assessment-mcp", "tool", "analyze_portfolio_risk", arguments);
	}
}
