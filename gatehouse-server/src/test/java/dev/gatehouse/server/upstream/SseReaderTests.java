package dev.gatehouse.server.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SseReaderTests {

	private static final int LIMIT = 1 << 20;

	@Test
	void nextWhenSingleDataLineThenMessageEvent() throws IOException {
		SseReader reader = reader("data: {\"jsonrpc\":\"2.0\"}\n\n");

		SseEvent event = reader.next();

		assertThat(event).isEqualTo(new SseEvent(null, null, "{\"jsonrpc\":\"2.0\"}", -1));
		assertThat(event.isMessage()).isTrue();
		assertThat(reader.next()).isNull();
	}

	@Test
	void nextWhenLineIsNotWellFormedUtf8ThenFailsNamingTheOffset() {
		byte[] stream = "data: {\"text\":\"..\u0000\u0000etc\"}\n\n".getBytes(StandardCharsets.US_ASCII);
		stream[17] = (byte) 0xC0;
		stream[18] = (byte) 0xAF;
		SseReader reader = new SseReader(new ByteArrayInputStream(stream), LIMIT);

		assertThatThrownBy(reader::next).isInstanceOf(IOException.class)
			.hasMessage("an SSE line is not well-formed UTF-8 at byte offset 17 of the line: overlong encoding (0xC0 0xAF)");
	}

	@Test
	void nextWhenSeveralDataLinesThenJoinedWithNewlines() throws IOException {
		assertThat(events("data: first\ndata: second\ndata:third\ndata\n\n"))
			.containsExactly(new SseEvent(null, null, "first\nsecond\nthird\n", -1));
	}

	@Test
	void nextWhenSeveralEventsThenEachInOrder() throws IOException {
		assertThat(events("data: a\n\ndata: b\n\n\n\ndata: c\n\n")).extracting(SseEvent::data)
			.containsExactly("a", "b", "c");
	}

	@ParameterizedTest
	@ValueSource(strings = { "\n", "\r\n", "\r" })
	void nextWhenLineEndThenSameEvents(String eol) throws IOException {
		String stream = "id: 7" + eol + "event: message" + eol + "data: a" + eol + "data: b" + eol + eol + "data: c"
				+ eol + eol;

		assertThat(events(stream)).containsExactly(new SseEvent("7", "message", "a\nb", -1),
				new SseEvent(null, null, "c", -1));
	}

	@ParameterizedTest
	@ValueSource(strings = { "\n", "\r\n", "\r" })
	void nextWhenLineEndAndOneByteReadsThenSameEvents(String eol) throws IOException {
		String stream = "id: 7" + eol + "event: message" + eol + "data: a" + eol + "data: b" + eol + eol + "data: c"
				+ eol + eol;

		assertThat(events(new OneByteAtATime(stream), LIMIT)).containsExactly(new SseEvent("7", "message", "a\nb", -1),
				new SseEvent(null, null, "c", -1));
	}

	@Test
	void nextWhenMixedLineEndsThenEachRecognised() throws IOException {
		String stream = "data: a\r\ndata: b\rdata: c\n\r\ndata: d\r\r";

		assertThat(events(stream)).containsExactly(new SseEvent(null, null, "a\nb\nc", -1),
				new SseEvent(null, null, "d", -1));
		assertThat(events(new OneByteAtATime(stream), LIMIT)).extracting(SseEvent::data)
			.containsExactly("a\nb\nc", "d");
	}

	@Test
	void nextWhenCrLfSplitAcrossReadsThenNoEmptyLineInBetween() throws IOException {
		// "data: a\r" | "\n" | "data: b\r" | "\n" | "\r" | "\n": the LF after each CR
		// must not end the event
		InputStream in = new Chunked("data: a\r", "\n", "data: b\r", "\n", "\r", "\n");

		assertThat(events(in, LIMIT)).containsExactly(new SseEvent(null, null, "a\nb", -1));
	}

	@Test
	void nextWhenCrAtEndOfBufferFollowedByNewLineThenLfNotSwallowedFromIt() throws IOException {
		// a CR ends one read; the next read starts a new line with a real character
		InputStream in = new Chunked("data: a\r", "data: b\r\n", "\r\n");

		assertThat(events(in, LIMIT)).containsExactly(new SseEvent(null, null, "a\nb", -1));
	}

	@Test
	void nextWhenMultiByteCharacterSplitAcrossReadsThenDecodedWhole() throws IOException {
		String stream = "data: héllo ✓ 😀\n\n";

		assertThat(events(new OneByteAtATime(stream), LIMIT)).extracting(SseEvent::data).containsExactly("héllo ✓ 😀");
	}

	@Test
	void nextWhenLineLongerThanInternalBufferThenRead() throws IOException {
		String data = "x".repeat(20_000);

		assertThat(events("data: " + data + "\n\n")).extracting(SseEvent::data).containsExactly(data);
	}

	@Test
	void nextWhenCommentsThenIgnoredEvenBetweenDataLines() throws IOException {
		assertThat(events(": keep-alive\n\n:\ndata: a\n: in the middle\ndata: b\n\n"))
			.containsExactly(new SseEvent(null, null, "a\nb", -1));
	}

	@Test
	void nextWhenOnlyCommentsThenEndOfStream() throws IOException {
		assertThat(events(": ping\n\n: ping\n\n")).isEmpty();
	}

	@Test
	void nextWhenIdAndEventFieldsThenCarried() throws IOException {
		SseEvent event = reader("event: endpoint\nid: abc-1\ndata: /messages?session=1\n\n").next();

		assertThat(event).isEqualTo(new SseEvent("abc-1", "endpoint", "/messages?session=1", -1));
		assertThat(event.isMessage()).isFalse();
	}

	@Test
	void nextWhenIdAndEventNotRepeatedThenNextEventHasNeither() throws IOException {
		assertThat(events("id: 1\nevent: custom\ndata: a\n\ndata: b\n\n"))
			.containsExactly(new SseEvent("1", "custom", "a", -1), new SseEvent(null, null, "b", -1));
	}

	@Test
	void nextWhenIdContainsNulThenIgnored() throws IOException {
		assertThat(reader("id: a\0b\ndata: x\n\n").next().id()).isNull();
	}

	@Test
	void nextWhenIdEmptyThenEmptyId() throws IOException {
		assertThat(reader("id\ndata: x\n\n").next().id()).isEmpty();
	}

	@Test
	void nextWhenRetryOnlyThenEventWithRetryAndEmptyData() throws IOException {
		assertThat(events("retry: 3000\n\n")).containsExactly(new SseEvent(null, null, "", 3000));
	}

	@Test
	void nextWhenRetryWithDataThenBoth() throws IOException {
		assertThat(events("retry:1500\ndata: x\n\n")).containsExactly(new SseEvent(null, null, "x", 1500));
	}

	@ParameterizedTest
	@ValueSource(strings = { "retry: abc\n", "retry: -1\n", "retry: 1.5\n", "retry: 1234567890\n", "retry:\n",
			"retry:  10\n" })
	void nextWhenRetryNotDigitsOrTooLongThenIgnored(String retry) throws IOException {
		assertThat(events(retry + "data: x\n\n")).containsExactly(new SseEvent(null, null, "x", -1));
	}

	@Test
	void nextWhenFieldWithoutColonThenWholeLineIsNameWithEmptyValue() throws IOException {
		assertThat(events("data\n\n")).containsExactly(new SseEvent(null, null, "", -1));
		assertThat(events("event\ndata: x\n\n")).containsExactly(new SseEvent(null, "", "x", -1));
	}

	@Test
	void nextWhenOnlyOneLeadingSpaceThenOnlyThatOneRemoved() throws IOException {
		assertThat(events("data:  two spaces\ndata:no space\n\n")).extracting(SseEvent::data)
			.containsExactly(" two spaces\nno space");
	}

	@Test
	void nextWhenValueContainsColonsThenSplitAtFirst() throws IOException {
		assertThat(events("data: {\"a\":\"b:c\"}\n\n")).extracting(SseEvent::data).containsExactly("{\"a\":\"b:c\"}");
	}

	@Test
	void nextWhenUnknownFieldsThenIgnored() throws IOException {
		assertThat(events("foo: bar\nDATA: upper\ndata: x\n\n")).containsExactly(new SseEvent(null, null, "x", -1));
	}

	@Test
	void nextWhenBlankLineWithoutDataThenNoEventAndIdAndEventReset() throws IOException {
		assertThat(events("event: ignored\n\ndata: x\n\n")).containsExactly(new SseEvent(null, null, "x", -1));
	}

	@Test
	void nextWhenEndOfStreamMidEventThenEventDiscarded() throws IOException {
		SseReader reader = reader("data: complete\n\ndata: partial\ndata: more\n");

		assertThat(reader.next().data()).isEqualTo("complete");
		assertThat(reader.next()).isNull();
		assertThat(reader.next()).as("still at end").isNull();
	}

	@Test
	void nextWhenEndOfStreamMidLineThenEventDiscarded() throws IOException {
		assertThat(events("data: partial")).isEmpty();
		assertThat(events(new OneByteAtATime("data: a\n\ndata: partial"), LIMIT)).extracting(SseEvent::data)
			.containsExactly("a");
	}

	@Test
	void nextWhenEmptyStreamThenNull() throws IOException {
		assertThat(reader("").next()).isNull();
	}

	@Test
	void nextWhenEventLargerThanLimitThenIOException() {
		SseReader reader = reader("data: " + "x".repeat(60) + "\ndata: " + "y".repeat(60) + "\n\n", 100);

		assertThatThrownBy(reader::next).isInstanceOf(IOException.class).hasMessage("an SSE event exceeds 100 bytes");
	}

	@Test
	void nextWhenSingleLineLargerThanLimitThenIOException() {
		SseReader reader = reader("data: " + "x".repeat(200) + "\n\n", 100);

		assertThatThrownBy(reader::next).isInstanceOf(IOException.class).hasMessageContaining("exceeds 100 bytes");
	}

	@Test
	void nextWhenUnterminatedLineLargerThanLimitThenIOExceptionBeforeReadingItAll() {
		SseReader reader = new SseReader(new OneByteAtATime("data: " + "x".repeat(10_000)), 100);

		assertThatThrownBy(reader::next).isInstanceOf(IOException.class).hasMessage("an SSE event exceeds 100 bytes");
	}

	@Test
	void nextWhenCommentsExceedLimitWithinOneEventThenIOException() {
		SseReader reader = reader(": " + "k".repeat(80) + "\n: " + "k".repeat(80) + "\ndata: x\n\n", 100);

		assertThatThrownBy(reader::next).isInstanceOf(IOException.class).hasMessage("an SSE event exceeds 100 bytes");
	}

	@Test
	void nextWhenEventsEachWithinLimitThenLimitAppliesPerEvent() throws IOException {
		String stream = ("data: " + "x".repeat(80) + "\n\n").repeat(5);

		assertThat(events(new ByteArrayInputStream(stream.getBytes(StandardCharsets.UTF_8)), 100)).hasSize(5);
	}

	@Test
	void nextWhenEventExactlyAtLimitThenAccepted() throws IOException {
		String line = "data: " + "x".repeat(94);

		assertThat(line).hasSize(100);
		assertThat(events(new ByteArrayInputStream((line + "\n\n").getBytes(StandardCharsets.UTF_8)), 100)).hasSize(1);
	}

	@Test
	void nextWhenManySmallDataLessBlocksThenLimitAppliesPerBlock() throws IOException {
		String keepAlives = (": " + "k".repeat(40) + "\n\n").repeat(10);

		assertThat(events(new ByteArrayInputStream((keepAlives + "data: x\n\n").getBytes(StandardCharsets.UTF_8)), 100))
			.extracting(SseEvent::data)
			.containsExactly("x");
	}

	@Test
	void nextWhenEventOfMultiByteCharactersLargerThanLimitInBytesThenIOException() {
		String line = "data: " + "\u2713".repeat(40);

		assertThat(line.getBytes(StandardCharsets.UTF_8)).hasSize(126);
		assertThat(line).hasSize(46);
		assertThatThrownBy(reader(line + "\n\n", 100)::next).isInstanceOf(IOException.class)
			.hasMessage("an SSE event exceeds 100 bytes");
	}

	@Test
	void nextWhenStreamStartsWithByteOrderMarkThenBomIgnored() throws IOException {
		assertThat(events("\uFEFFdata: first\n\n")).extracting(SseEvent::data).containsExactly("first");
	}

	@Test
	void nextWhenIdOnlyEventThenIdReported() throws IOException {
		List<SseEvent> events = events("id: 42\n\n");

		assertThat(events).extracting(SseEvent::id).containsExactly("42");
	}

	private static SseReader reader(String stream) {
		return reader(stream, LIMIT);
	}

	private static SseReader reader(String stream, int limit) {
		return new SseReader(new ByteArrayInputStream(stream.getBytes(StandardCharsets.UTF_8)), limit);
	}

	private static List<SseEvent> events(String stream) throws IOException {
		return events(new ByteArrayInputStream(stream.getBytes(StandardCharsets.UTF_8)), LIMIT);
	}

	private static List<SseEvent> events(InputStream in, int limit) throws IOException {
		SseReader reader = new SseReader(in, limit);
		List<SseEvent> events = new ArrayList<>();
		for (SseEvent event = reader.next(); event != null; event = reader.next()) {
			events.add(event);
		}
		return events;
	}

	/**
	 * Returns at most one byte per read, so every line end falls on a buffer boundary.
	 */
	private static final class OneByteAtATime extends InputStream {

		private final byte[] bytes;

		private int next;

		OneByteAtATime(String text) {
			this.bytes = text.getBytes(StandardCharsets.UTF_8);
		}

		@Override
		public int read() {
			return (next < bytes.length) ? (bytes[next++] & 0xff) : -1;
		}

		@Override
		public int read(byte[] b, int off, int len) {
			if (len == 0) {
				return 0;
			}
			if (next >= bytes.length) {
				return -1;
			}
			b[off] = bytes[next++];
			return 1;
		}

	}

	/** Returns exactly the given chunks, one per read. */
	private static final class Chunked extends InputStream {

		private final List<byte[]> chunks = new ArrayList<>();

		private int next;

		Chunked(String... chunks) {
			for (String chunk : chunks) {
				this.chunks.add(chunk.getBytes(StandardCharsets.UTF_8));
			}
		}

		@Override
		public int read() {
			throw new UnsupportedOperationException();
		}

		@Override
		public int read(byte[] b, int off, int len) {
			if (next >= chunks.size()) {
				return -1;
			}
			byte[] chunk = chunks.get(next++);
			System.arraycopy(chunk, 0, b, off, chunk.length);
			return chunk.length;
		}

	}

}
