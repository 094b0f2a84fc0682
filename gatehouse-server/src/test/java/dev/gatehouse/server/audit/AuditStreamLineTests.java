package dev.gatehouse.server.audit;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.gatehouse.core.audit.AuditEvent;
import dev.gatehouse.server.testing.TestProperties;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

import static org.assertj.core.api.Assertions.assertThat;

/** The streamed line, written member by member, is the text the record's JSON tree gives. */
class AuditStreamLineTests {

	private final AuditStream stream = new AuditStream(TestProperties.bind(Map.of()));

	@Test
	void aToolCallLineIsTheTreesText() {
		ObjectNode arguments = JsonNodeFactory.instance.objectNode();
		arguments.put("text", "h\u00e9llo \"quoted\" \n\u0001 \u2028");
		arguments.putArray("list").add(1).add(2.5).add(true).addNull();
		Map<String, Object> fields = new LinkedHashMap<>();
		fields.put("issuer", "https://idp.example");
		fields.put("subject", "alice");
		fields.put("tool", "demo-tools___echo");
		fields.put("upstream_status", 200);
		fields.put("latency_us", 1234L);
		fields.put("flag", Boolean.TRUE);
		fields.put("detail", null);
		fields.put("arguments", arguments);
		assertSameText(new AuditEvent(42, Instant.parse("2026-11-28T13:00:00.123456789Z"), "tool_call", fields));
	}

	@Test
	void aSecurityEventLineIsTheTreesText() {
		assertSameText(new AuditEvent(7, Instant.parse("2026-11-28T13:00:00Z"), "consent_failed",
				Map.of("subject", "bob", "reason", "denied")));
	}

	@Test
	void fieldsNamedLikeTheRecordsOwnMembersKeepTheTreesText() {
		Map<String, Object> fields = new LinkedHashMap<>();
		fields.put("type", "override");
		fields.put("at", "then");
		fields.put("seq", 9);
		assertSameText(new AuditEvent(3, Instant.parse("2026-11-28T13:00:00Z"), "odd", fields));
	}

	private void assertSameText(AuditEvent event) {
		assertThat(stream.line(event, false)).isEqualTo(stream.treeLine(event, false));
		assertThat(stream.line(event, true)).isEqualTo(stream.treeLine(event, true));
	}
}
