package dev.gatehouse.bench.load;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PrometheusTests {

	private static final String TEXT = """
			# HELP gatehouse_oauth_token_requests_total Requests to token endpoints
			# TYPE gatehouse_oauth_token_requests_total counter
			gatehouse_oauth_token_requests_total{grant_type="client_credentials",outcome="success",target="storm-0"} 3.0
			gatehouse_oauth_token_requests_total{grant_type="client_credentials",outcome="success",target="storm-1"} 1.0
			gatehouse_oauth_token_requests_total{grant_type="refresh_token",outcome="success",target="storm-1"} 5.0
			gatehouse_oauth_token_requests_totally_other 9.0
			jvm_memory_used_bytes{area="heap",id="ZGC Old Generation"} 1.5E7
			jvm_memory_used_bytes{area="heap",id="ZGC Young Generation"} 5000000.0
			jvm_memory_used_bytes{area="nonheap",id="Metaspace"} 7.0E7
			gatehouse_mcp_held_streams 12.0
			""";

	@Test
	void sumAddsTheMatchingSamples() {
		assertThat(Prometheus.sum(TEXT, "jvm_memory_used_bytes", "area=\"heap\"")).isEqualTo(2.0E7);
		assertThat(Prometheus.sum(TEXT, "gatehouse_mcp_held_streams")).isEqualTo(12.0);
		assertThat(Prometheus.sum(TEXT, "gatehouse_oauth_token_requests_total")).isEqualTo(9.0);
		assertThat(Prometheus.sum(TEXT, "missing_metric")).isZero();
	}

	@Test
	void byLabelSumsPerValueOfTheLabel() {
		assertThat(Prometheus.byLabel(TEXT, "gatehouse_oauth_token_requests_total", "target",
				"grant_type=\"client_credentials\"")).containsExactly(java.util.Map.entry("storm-0", 3.0),
						java.util.Map.entry("storm-1", 1.0));
	}

	@Test
	void labelValueDoesNotMatchTheSuffixOfAnotherLabel() {
		assertThat(Prometheus.labelValue("m{subtarget=\"a\",target=\"b\"} 1", "target")).isEqualTo("b");
		assertThat(Prometheus.labelValue("m{subtarget=\"a\"} 1", "target")).isNull();
	}

}
