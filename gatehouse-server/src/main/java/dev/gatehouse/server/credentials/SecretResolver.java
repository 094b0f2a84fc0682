package dev.gatehouse.server.credentials;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import dev.gatehouse.core.secret.Secret;
import dev.gatehouse.core.secret.SecretRef;

import org.springframework.stereotype.Component;

/**
 * Resolves secret references. {@code env:NAME} reads the environment; {@code file:PATH} reads the file (one
 * trailing newline removed) and re-reads it at most every {@link #FILE_RECHECK}, so a rotated file is picked up
 * without a restart. Thread-safe.
 */
@Component
public final class SecretResolver {

	static final Duration FILE_RECHECK = Duration.ofSeconds(5);

	private final Function<String, String> environment;

	private final Clock clock;

	private final Map<String, Cached> files = new ConcurrentHashMap<>();

	@org.springframework.beans.factory.annotation.Autowired
	SecretResolver(Clock clock) {
		this(System::getenv, clock);
	}

	SecretResolver(Function<String, String> environment, Clock clock) {
		this.environment = Objects.requireNonNull(environment, "environment must not be null");
		this.clock = Objects.requireNonNull(clock, "clock must not be null");
	}

	/**
	 * @param what names the use for the error message, such as {@code auth.key of target 'docs'}
	 * @throws CredentialUnavailableException when the variable is unset or the file unreadable
	 */
	public Secret resolve(SecretRef ref, String what) {
		return switch (ref.kind()) {
			case ENV -> env(ref.location(), what);
			case FILE -> file(ref.location(), what);
			case VAULT -> throw new CredentialUnavailableException(what + " refers to the vault ('" + ref
					+ "'), which only a target's auth.clientSecret may do");
		};
	}

	private Secret env(String name, String what) {
		String value = environment.apply(name);
		if (value == null || value.isEmpty()) {
			throw new CredentialUnavailableException(
					what + " refers to the environment variable " + name + ", which is not set");
		}
		return Secret.of(value);
	}

	private Secret file(String path, String what) {
		Instant now = clock.instant();
		Cached cached = files.get(path);
		if (cached != null && now.isBefore(cached.readAt.plus(FILE_RECHECK))) {
			return cached.secret;
		}
		try {
			String text = Files.readString(Path.of(path), StandardCharsets.UTF_8);
			if (text.endsWith("\n")) {
				text = text.substring(0, text.length() - (text.endsWith("\r\n") ? 2 : 1));
			}
			if (text.isEmpty()) {
				throw new CredentialUnavailableException(what + " refers to the file " + path + ", which is empty");
			}
			Secret secret = Secret.of(text);
			files.put(path, new Cached(secret, now));
			return secret;
		}
		catch (IOException ex) {
			throw new CredentialUnavailableException(
					what + " refers to the file " + path + ", which cannot be read (" + ex.getClass().getSimpleName()
							+ ")");
		}
	}

	private record Cached(Secret secret, Instant readAt) {
	}
}
