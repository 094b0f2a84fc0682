package dev.gatehouse.server.credentials;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;

import dev.gatehouse.core.secret.Secret;
import dev.gatehouse.core.secret.SecretRef;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SecretResolverTests {

	private static final String WHAT = "auth.key of target 'docs'";

	private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));

	@TempDir
	Path dir;

	// env

	@Test
	void resolveWhenEnvVariableSetThenItsValue() {
		List<String> asked = new ArrayList<>();
		SecretResolver resolver = new SecretResolver(env(asked, Map.of("DOCS_KEY", "sk-live-123")), clock);

		Secret secret = resolver.resolve(new SecretRef(SecretRef.Kind.ENV, "DOCS_KEY"), WHAT);

		assertThat(secret.reveal()).isEqualTo("sk-live-123");
		assertThat(asked).containsExactly("DOCS_KEY");
	}

	@Test
	void resolveWhenEnvVariableChangesThenReadAgainEachTime() {
		Map<String, String> values = new java.util.HashMap<>(Map.of("DOCS_KEY", "old"));
		SecretResolver resolver = new SecretResolver(values::get, clock);
		SecretRef ref = new SecretRef(SecretRef.Kind.ENV, "DOCS_KEY");

		assertThat(resolver.resolve(ref, WHAT).reveal()).isEqualTo("old");
		values.put("DOCS_KEY", "new");
		assertThat(resolver.resolve(ref, WHAT).reveal()).isEqualTo("new");
	}

	@Test
	void resolveWhenEnvVariableUnsetThenUnavailableNamingVariableAndUse() {
		SecretResolver resolver = new SecretResolver(env(new ArrayList<>(), Map.of("OTHER", "sk-other-secret")), clock);

		CredentialUnavailableException ex = catchThrowableOfType(CredentialUnavailableException.class,
				() -> resolver.resolve(new SecretRef(SecretRef.Kind.ENV, "DOCS_KEY"), WHAT));

		assertThat(ex)
			.hasMessage("auth.key of target 'docs' refers to the environment variable DOCS_KEY, which is not set");
		assertThat(ex.getMessage()).doesNotContain("sk-other-secret");
		assertThat(ex.getStackTrace()).as("no stack trace is captured").isEmpty();
	}

	@Test
	void resolveWhenEnvVariableEmptyThenUnavailable() {
		SecretResolver resolver = new SecretResolver(env(new ArrayList<>(), Map.of("DOCS_KEY", "")), clock);

		assertThat(catchThrowableOfType(CredentialUnavailableException.class,
				() -> resolver.resolve(new SecretRef(SecretRef.Kind.ENV, "DOCS_KEY"), WHAT)))
			.hasMessageContaining("DOCS_KEY, which is not set");
	}

	// file

	@ParameterizedTest
	@MethodSource("fileContents")
	void resolveWhenFileThenContentWithOneTrailingNewlineRemoved(String content, String expected) throws IOException {
		Path file = write("key", content);

		Secret secret = resolver().resolve(fileRef(file), WHAT);

		assertThat(secret.reveal()).isEqualTo(expected);
	}

	static Stream<Arguments> fileContents() {
		return Stream.of(Arguments.of("s3cr3t\n", "s3cr3t"), Arguments.of("s3cr3t\r\n", "s3cr3t"),
				Arguments.of("s3cr3t", "s3cr3t"), Arguments.of("s3cr3t\n\n", "s3cr3t\n"),
				Arguments.of(" s3cr3t \n", " s3cr3t "), Arguments.of("line1\nline2\n", "line1\nline2"),
				Arguments.of("s3cr3t\r", "s3cr3t\r"));
	}

	@Test
	void resolveWhenFileHasUtf8ThenDecoded() throws IOException {
		Path file = write("key", "pässwörd ✓\n");

		assertThat(resolver().resolve(fileRef(file), WHAT).reveal()).isEqualTo("pässwörd ✓");
	}

	@Test
	void resolveWhenFileMissingThenUnavailableNamingPath() {
		Path missing = dir.resolve("absent.key");

		CredentialUnavailableException ex = catchThrowableOfType(CredentialUnavailableException.class,
				() -> resolver().resolve(fileRef(missing), WHAT));

		assertThat(ex).hasMessage("auth.key of target 'docs' refers to the file " + missing
				+ ", which cannot be read (NoSuchFileException)");
	}

	@Test
	void resolveWhenPathIsDirectoryThenUnavailableNamingPath() {
		CredentialUnavailableException ex = catchThrowableOfType(CredentialUnavailableException.class,
				() -> resolver().resolve(fileRef(dir), WHAT));

		assertThat(ex)
			.hasMessageStartingWith("auth.key of target 'docs' refers to the file " + dir + ", which cannot be read (");
	}

	@Test
	void resolveWhenFileNotUtf8ThenUnavailableWithoutQuotingContent() throws IOException {
		Path file = dir.resolve("binary.key");
		byte[] content = "sk-live-SECRETPART".getBytes(StandardCharsets.US_ASCII);
		byte[] bytes = new byte[content.length + 2];
		System.arraycopy(content, 0, bytes, 0, content.length);
		bytes[content.length] = (byte) 0xff;
		bytes[content.length + 1] = (byte) 0xfe;
		Files.write(file, bytes);

		CredentialUnavailableException ex = catchThrowableOfType(CredentialUnavailableException.class,
				() -> resolver().resolve(fileRef(file), WHAT));

		assertThat(ex).hasMessage("auth.key of target 'docs' refers to the file " + file
				+ ", which cannot be read (MalformedInputException)");
		assertThat(ex.getMessage()).doesNotContain("SECRETPART");
	}

	@Test
	void resolveWhenFileEmptyOrOnlyNewlineThenUnavailable() throws IOException {
		Path empty = write("empty.key", "");
		Path newline = write("newline.key", "\n");

		assertThat(catchThrowableOfType(CredentialUnavailableException.class,
				() -> resolver().resolve(fileRef(empty), WHAT)))
			.hasMessage("auth.key of target 'docs' refers to the file " + empty + ", which is empty");
		assertThat(catchThrowableOfType(CredentialUnavailableException.class,
				() -> resolver().resolve(fileRef(newline), WHAT)))
			.hasMessage("auth.key of target 'docs' refers to the file " + newline + ", which is empty");
	}

	@Test
	void resolveWhenFileChangedWithinRecheckThenCachedValue() throws IOException {
		Path file = write("key", "first\n");
		SecretResolver resolver = resolver();
		assertThat(resolver.resolve(fileRef(file), WHAT).reveal()).isEqualTo("first");

		write("key", "second\n");
		clock.advance(SecretResolver.FILE_RECHECK.minusMillis(1));

		assertThat(resolver.resolve(fileRef(file), WHAT).reveal()).isEqualTo("first");
	}

	@Test
	void resolveWhenRecheckIntervalPassedThenFileReadAgain() throws IOException {
		Path file = write("key", "first\n");
		SecretResolver resolver = resolver();
		assertThat(resolver.resolve(fileRef(file), WHAT).reveal()).isEqualTo("first");

		write("key", "second\n");
		clock.advance(SecretResolver.FILE_RECHECK);

		assertThat(resolver.resolve(fileRef(file), WHAT).reveal()).isEqualTo("second");
	}

	@Test
	void resolveWhenRereadThenNextRecheckCountsFromTheReread() throws IOException {
		Path file = write("key", "first\n");
		SecretResolver resolver = resolver();
		resolver.resolve(fileRef(file), WHAT);
		clock.advance(SecretResolver.FILE_RECHECK);
		write("key", "second\n");
		assertThat(resolver.resolve(fileRef(file), WHAT).reveal()).isEqualTo("second");

		write("key", "third\n");
		clock.advance(Duration.ofSeconds(1));

		assertThat(resolver.resolve(fileRef(file), WHAT).reveal()).isEqualTo("second");
	}

	@Test
	void resolveWhenFileDeletedWithinRecheckThenCachedValue() throws IOException {
		Path file = write("key", "first\n");
		SecretResolver resolver = resolver();
		resolver.resolve(fileRef(file), WHAT);

		Files.delete(file);

		assertThat(resolver.resolve(fileRef(file), WHAT).reveal()).isEqualTo("first");
	}

	@Test
	void resolveWhenFileDeletedAndRecheckPassedThenUnavailable() throws IOException {
		Path file = write("key", "first\n");
		SecretResolver resolver = resolver();
		resolver.resolve(fileRef(file), WHAT);

		Files.delete(file);
		clock.advance(SecretResolver.FILE_RECHECK);

		assertThat(
				catchThrowableOfType(CredentialUnavailableException.class, () -> resolver.resolve(fileRef(file), WHAT)))
			.hasMessageContaining("NoSuchFileException")
			.hasMessageNotContaining("first");
	}

	@Test
	void resolveWhenFileFirstMissingThenCreatedThenReadWithoutWaiting() throws IOException {
		Path file = dir.resolve("late.key");
		SecretResolver resolver = resolver();
		assertThat(
				catchThrowableOfType(CredentialUnavailableException.class, () -> resolver.resolve(fileRef(file), WHAT)))
			.isNotNull();

		write("late.key", "now\n");

		assertThat(resolver.resolve(fileRef(file), WHAT).reveal()).isEqualTo("now");
	}

	@Test
	void resolveWhenTwoFilesThenCachedSeparately() throws IOException {
		Path a = write("a.key", "alpha\n");
		Path b = write("b.key", "beta\n");
		SecretResolver resolver = resolver();

		assertThat(resolver.resolve(fileRef(a), WHAT).reveal()).isEqualTo("alpha");
		assertThat(resolver.resolve(fileRef(b), WHAT).reveal()).isEqualTo("beta");
	}

	@Test
	void resolveWhenEnvRefThenEnvironmentNotFilesystemAndViceVersa() throws IOException {
		List<String> asked = new ArrayList<>();
		Path file = write("KEY", "from-file\n");
		SecretResolver resolver = new SecretResolver(env(asked, Map.of()), clock);

		assertThat(resolver.resolve(fileRef(file), WHAT).reveal()).isEqualTo("from-file");
		assertThat(asked).isEmpty();
	}

	private SecretResolver resolver() {
		return new SecretResolver(env(new ArrayList<>(), Map.of()), clock);
	}

	private static Function<String, String> env(List<String> asked, Map<String, String> values) {
		return (name) -> {
			asked.add(name);
			return values.get(name);
		};
	}

	private Path write(String name, String content) throws IOException {
		return Files.writeString(dir.resolve(name), content, StandardCharsets.UTF_8);
	}

	private static SecretRef fileRef(Path path) {
		return new SecretRef(SecretRef.Kind.FILE, path.toString());
	}

	/** A clock the test moves forward by hand. */
	private static final class MutableClock extends Clock {

		private Instant now;

		MutableClock(Instant start) {
			this.now = start;
		}

		void advance(Duration duration) {
			now = now.plus(duration);
		}

		@Override
		public ZoneId getZone() {
			return ZoneOffset.UTC;
		}

		@Override
		public Clock withZone(ZoneId zone) {
			return this;
		}

		@Override
		public Instant instant() {
			return now;
		}

	}

}
