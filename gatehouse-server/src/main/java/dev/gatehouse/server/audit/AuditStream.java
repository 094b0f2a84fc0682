package dev.gatehouse.server.audit;

import java.io.PrintStream;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Map;

import dev.gatehouse.core.audit.AuditEvent;
import dev.gatehouse.server.config.GatehouseProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.stereotype.Component;

/**
 * Streams each written audit record as one JSON line, for log pipelines and SIEMs ({@code gatehouse.audit.stream}):
 * <ul>
 * <li>{@code log}: the record ({@code seq}, {@code type}, {@code at}, fields) on the logger {@code gatehouse.audit},
 * so Logback can route it anywhere (file, syslog appender);</li>
 * <li>{@code stdout}: syslog-style JSON on standard output, one line per record:
 * {@code {"@timestamp":…,"host":…,"app":"gatehouse","severity":"info|warning","seq":…,"hash":…,"event":{…}}};</li>
 * <li>{@code none}.</li>
 * </ul>
 * Records hold no secret by construction (see {@code docs/audit.md}), which is why this class alone may write to
 * standard output.
 */
@Component
final class AuditStream {

	private static final Logger audit = LoggerFactory.getLogger("gatehouse.audit");

	private final JsonMapper json = JsonMapper.builder().build();

	private final GatehouseProperties.AuditStream target;

	private final PrintStream stdout = System.out;

	private final String host;

	AuditStream(GatehouseProperties properties) {
		this.target = properties.audit().stream();
		this.host = hostName();
	}

	void write(AuditEvent event) {
		switch (target) {
			case LOG -> {
				if (audit.isInfoEnabled()) {
					audit.info(line(event, false));
				}
			}
			case STDOUT -> stdout.println(line(event, true));
			case NONE -> {
			}
		}
	}

	/**
	 * The JSON line, written member by member with one generator (the same text a tree of the record would give,
	 * without building the tree and serialising it again).
	 */
	String line(AuditEvent event, boolean syslog) {
		if (event.fields().containsKey("seq") || event.fields().containsKey("type") || event.fields().containsKey("at")) {
			return treeLine(event, syslog);
		}
		StringWriter out = new StringWriter(512);
		try (JsonGenerator generator = json.createGenerator(out)) {
			if (syslog) {
				String at = event.at().toString();
				generator.writeStartObject();
				generator.writeStringProperty("@timestamp", at);
				generator.writeStringProperty("host", host);
				generator.writeStringProperty("app", "gatehouse");
				generator.writeStringProperty("severity", severity(event));
				generator.writeNumberProperty("seq", event.sequence());
				generator.writeName("event");
				record(event, at, generator);
				generator.writeEndObject();
			}
			else {
				record(event, event.at().toString(), generator);
			}
		}
		return out.toString();
	}

	private static void record(AuditEvent event, String at, JsonGenerator out) {
		out.writeStartObject();
		out.writeNumberProperty("seq", event.sequence());
		out.writeStringProperty("type", event.type());
		out.writeStringProperty("at", at);
		for (Map.Entry<String, Object> field : event.fields().entrySet()) {
			out.writeName(field.getKey());
			out.writePOJO(field.getValue());
		}
		out.writeEndObject();
	}

	/** The line built as a tree, for a record whose fields reuse the names {@code seq}, {@code type} or {@code at}. */
	String treeLine(AuditEvent event, boolean syslog) {
		return json.writeValueAsString(syslog ? syslog(event) : record(event));
	}

	private ObjectNode record(AuditEvent event) {
		ObjectNode node = json.createObjectNode();
		node.put("seq", event.sequence());
		node.put("type", event.type());
		node.put("at", event.at().toString());
		event.fields().forEach(node::putPOJO);
		return node;
	}

	private ObjectNode syslog(AuditEvent event) {
		ObjectNode node = json.createObjectNode();
		node.put("@timestamp", event.at().toString());
		node.put("host", host);
		node.put("app", "gatehouse");
		node.put("severity", severity(event));
		node.put("seq", event.sequence());
		node.set("event", record(event));
		return node;
	}

	/** {@code warning} for refusals and failures, else {@code info}. */
	static String severity(AuditEvent event) {
		String type = event.type();
		String outcome = event.outcome();
		boolean bad = type.endsWith("_failed") || type.endsWith("_rejected") || type.endsWith("_broken")
				|| type.contains("unreadable") || (outcome != null && !outcome.equals("success"));
		return bad ? "warning" : "info";
	}

	private static String hostName() {
		try {
			return InetAddress.getLocalHost().getHostName();
		}
		catch (UnknownHostException ex) {
			return "unknown";
		}
	}
}
