package dev.gatehouse.server.testing;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import org.awaitility.Awaitility;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

/**
 * Captures the audit records the gateway writes to the {@code gatehouse.audit} logger, in this JVM.
 */
public final class AuditCapture extends AppenderBase<ILoggingEvent> implements AutoCloseable {

	private final List<JsonNode> records = new CopyOnWriteArrayList<>();

	private final Logger logger = (Logger) LoggerFactory.getLogger("gatehouse.audit");

	public static AuditCapture attach() {
		AuditCapture capture = new AuditCapture();
		capture.start();
		capture.logger.addAppender(capture);
		return capture;
	}

	@Override
	protected void append(ILoggingEvent event) {
		records.add(McpTestClient.JSON.readTree(event.getFormattedMessage()));
	}

	/** Every record so far. */
	public List<JsonNode> records() {
		return List.copyOf(records);
	}

	/** Records of one type, such as {@code tool_call} or {@code authentication_failed}. */
	public List<JsonNode> ofType(String type) {
		return records.stream().filter((r) -> type.equals(r.path("type").asString(null))).toList();
	}

	/**
	 * Records of one type once at least one has arrived: the writer thread streams records off the request path,
	 * so a record is not there yet when the call that caused it returns.
	 */
	public List<JsonNode> awaitType(String type) {
		return awaitType(type, "");
	}

	/** Records of one type once their text contains {@code fragment} (waits up to 10 seconds). */
	public List<JsonNode> awaitType(String type, String fragment) {
		return Awaitility.await()
			.atMost(Duration.ofSeconds(10))
			.until(() -> ofType(type), (found) -> !found.isEmpty() && found.toString().contains(fragment));
	}

	/** All captured text, to check that no secret was written. */
	public String text() {
		return records.toString();
	}

	public void clear() {
		records.clear();
	}

	@Override
	public void close() {
		logger.detachAppender(this);
		stop();
	}
}
