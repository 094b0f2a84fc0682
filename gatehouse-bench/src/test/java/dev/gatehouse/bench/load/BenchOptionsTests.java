package dev.gatehouse.bench.load;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class BenchOptionsTests {

	@Test
	void parseWhenNoOptionsThenDefaultProfileWithNginx() {
		BenchOptions options = BenchOptions.parse("--root", "/repo");
		assertThat(options.profile().name()).isEqualTo("default");
		assertThat(options.profile().passes()).isEqualTo(3);
		assertThat(options.profile().concurrencies()).containsExactly(1, 16, 64, 256);
		assertThat(options.nginx()).isTrue();
		assertThat(options.jfr()).isFalse();
		assertThat(options.keep()).isFalse();
		assertThat(options.out()).isEqualTo(Path.of("/repo/bench-results"));
	}

	@Test
	void parseReadsEveryOption() {
		BenchOptions options = BenchOptions.parse("--root", "/repo", "--profile", "smoke", "--passes", "2",
				"--no-nginx", "--jfr", "--keep", "--out", "/tmp/results", "--gateway-jvm-flags",
				" -XX:+UseZGC  -Dsun.net.httpserver.nodelay=true ");
		assertThat(options.profile().name()).isEqualTo("smoke");
		assertThat(options.profile().passes()).isEqualTo(2);
		assertThat(options.nginx()).isFalse();
		assertThat(options.jfr()).isTrue();
		assertThat(options.keep()).isTrue();
		assertThat(options.out()).isEqualTo(Path.of("/tmp/results"));
		assertThat(options.gatewayJvmFlags()).isEqualTo(List.of("-XX:+UseZGC", "-Dsun.net.httpserver.nodelay=true"));
	}

	@Test
	void parseWhenSessions10kThenTenThousandSessionsInOnePass() {
		Profile profile = BenchOptions.parse("--profile", "sessions-10k").profile();
		assertThat(profile.sessions()).isEqualTo(10_000);
		assertThat(profile.passes()).isEqualTo(1);
	}

	@Test
	void parseWhenUnknownProfileThenNamesTheProfiles() {
		assertThatIllegalArgumentException().isThrownBy(() -> BenchOptions.parse("--profile", "fast"))
			.withMessageContaining("default, smoke, sessions-10k");
	}

	@Test
	void parseWhenPassesNotPositiveThenRejects() {
		assertThatIllegalArgumentException().isThrownBy(() -> BenchOptions.parse("--passes", "0"))
			.withMessage("--passes must be a positive number but was '0'");
		assertThatIllegalArgumentException().isThrownBy(() -> BenchOptions.parse("--passes", "x"));
	}

	@Test
	void parseWhenValueMissingThenRejects() {
		assertThatIllegalArgumentException().isThrownBy(() -> BenchOptions.parse("--profile"))
			.withMessage("--profile needs a value");
		assertThatIllegalArgumentException().isThrownBy(() -> BenchOptions.parse("--out", "--keep"))
			.withMessage("--out needs a value");
	}

	@Test
	void parseWhenUnknownOptionThenRejects() {
		assertThatIllegalArgumentException().isThrownBy(() -> BenchOptions.parse("--fast"))
			.withMessage("unknown option '--fast'");
	}

	@Test
	void referenceConcurrencyIs64OrTheHighestBelow() {
		assertThat(Profile.named("default").referenceConcurrency()).isEqualTo(64);
		assertThat(Profile.named("default").withPasses(1).referenceConcurrency()).isEqualTo(64);
		assertThat(new Profile("x", 1, List.of(1, 16, 256), 0, 0, List.of(), 1, 0, 0, 0, 0, 0, 0, 10)
			.referenceConcurrency()).isEqualTo(16);
		assertThat(new Profile("x", 1, List.of(256), 0, 0, List.of(), 1, 0, 0, 0, 0, 0, 0, 10).referenceConcurrency())
			.isEqualTo(256);
	}

	@Test
	void rotatedStartsEachPassWithAnotherTreatment() {
		List<String> treatments = List.of("direct", "nginx", "gateway");
		assertThat(LoadBench.rotated(treatments, 0)).containsExactly("direct", "nginx", "gateway");
		assertThat(LoadBench.rotated(treatments, 1)).containsExactly("nginx", "gateway", "direct");
		assertThat(LoadBench.rotated(treatments, 2)).containsExactly("gateway", "direct", "nginx");
		assertThat(LoadBench.rotated(treatments, 3)).containsExactly("direct", "nginx", "gateway");
	}

}
