package dev.gatehouse.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;

import dev.gatehouse.demo.DemoOptions.IdentityProviderOptions;
import dev.gatehouse.demo.DemoOptions.UsageException;
import org.junit.jupiter.api.Test;

class DemoOptionsTests {

	@Test
	void parseWhenDemoOptionsThenAllThreeValues() {
		DemoOptions options = DemoOptions.parse("--plain-port", "8091", "--risk-port=8092", "--risk-api-key-file",
				"/run/key");

		assertThat(options).isEqualTo(new DemoOptions(8091, 8092, Path.of("/run/key"), null, null, false));
	}

	@Test
	void parseWhenConformancePortThenConformanceOnly() {
		assertThat(DemoOptions.parse("--conformance-port", "0")).isEqualTo(new DemoOptions(null, null, null, 0, null, false));
	}

	@Test
	void parseWhenHelpThenHelp() {
		assertThat(DemoOptions.parse("--help").help()).isTrue();
		assertThat(DemoOptions.parse("-h").help()).isTrue();
	}

	@Test
	void parseWhenNoArgumentsThenUsageError() {
		assertThatThrownBy(DemoOptions::parse).isInstanceOf(UsageException.class).hasMessage("No options given");
	}

	@Test
	void parseWhenUnknownOptionThenUsageErrorNamingIt() {
		assertThatThrownBy(() -> DemoOptions.parse("--plain", "1")).isInstanceOf(UsageException.class)
			.hasMessage("Unknown option '--plain'");
	}

	@Test
	void parseWhenValueMissingThenUsageError() {
		assertThatThrownBy(() -> DemoOptions.parse("--plain-port", "--risk-port", "1"))
			.isInstanceOf(UsageException.class)
			.hasMessage("Missing value for --plain-port");
	}

	@Test
	void parseWhenPortNotANumberOrOutOfRangeThenUsageError() {
		assertThatThrownBy(() -> DemoOptions.parse("--conformance-port", "eighty")).isInstanceOf(UsageException.class)
			.hasMessage("--conformance-port must be a port number 0..65535 but was 'eighty'");
		assertThatThrownBy(() -> DemoOptions.parse("--conformance-port", "65536")).isInstanceOf(UsageException.class);
	}

	@Test
	void parseWhenRiskKeyFileMissingThenUsageError() {
		assertThatThrownBy(() -> DemoOptions.parse("--plain-port", "1", "--risk-port", "2"))
			.isInstanceOf(UsageException.class)
			.hasMessageStartingWith("Missing --risk-api-key-file (or --upstream-client-secret-file");
	}

	@Test
	void parseWhenSamePortTwiceThenUsageError() {
		assertThatThrownBy(
				() -> DemoOptions.parse("--plain-port", "9000", "--risk-port", "9000", "--risk-api-key-file", "k"))
			.isInstanceOf(UsageException.class)
			.hasMessage("--plain-port and --risk-port must differ");
	}

	@Test
	void parseWhenOptionRepeatedThenUsageError() {
		assertThatThrownBy(() -> DemoOptions.parse("--conformance-port", "1", "--conformance-port", "2"))
			.isInstanceOf(UsageException.class)
			.hasMessage("--conformance-port given more than once");
	}

	@Test
	void parseWhenConformanceCombinedWithDemoOptionsThenUsageError() {
		assertThatThrownBy(() -> DemoOptions.parse("--conformance-port", "1", "--plain-port", "2"))
			.isInstanceOf(UsageException.class)
			.hasMessage("--conformance-port cannot be combined with other options");
	}

	@Test
	void parseWhenIdentityProviderOptionsThenIssuerOnLocalhostAndGatewayRedirectUri() {
		DemoOptions options = DemoOptions.parse("--plain-port", "0", "--risk-port", "0", "--risk-api-key-file", "k",
				"--idp-port", "9000", "--idp-client-secret-file", "/run/secret", "--gateway-url",
				"http://localhost:8080/");

		IdentityProviderOptions idp = options.identityProvider();
		assertThat(idp).isEqualTo(new IdentityProviderOptions(9000, Path.of("/run/secret"), "http://localhost:8080", null));
		assertThat(idp.issuer()).isEqualTo("http://localhost:9000");
		assertThat(idp.redirectUri()).isEqualTo("http://localhost:8080/login/oauth2/code/idp");
	}

	@Test
	void parseWhenIdentityProviderOptionMissingThenUsageErrorNamingIt() {
		assertThatThrownBy(() -> DemoOptions.parse("--plain-port", "0", "--risk-port", "0", "--risk-api-key-file",
				"k", "--idp-port", "9000", "--gateway-url", "http://localhost:8080"))
			.isInstanceOf(UsageException.class)
			.hasMessage("Missing --idp-client-secret-file (--idp-port, --idp-client-secret-file and --gateway-url"
					+ " go together)");
	}

	@Test
	void parseWhenIdentityProviderPortZeroThenUsageError() {
		assertThatThrownBy(() -> DemoOptions.parse("--plain-port", "0", "--risk-port", "0", "--risk-api-key-file",
				"k", "--idp-port", "0", "--idp-client-secret-file", "s", "--gateway-url", "http://localhost:8080"))
			.isInstanceOf(UsageException.class)
			.hasMessage("--idp-port must be 1..65535: the issuer URL must be known in advance");
	}

	@Test
	void parseWhenIdentityProviderPortEqualsAServerPortThenUsageError() {
		assertThatThrownBy(() -> DemoOptions.parse("--plain-port", "9000", "--risk-port", "0", "--risk-api-key-file",
				"k", "--idp-port", "9000", "--idp-client-secret-file", "s", "--gateway-url", "http://localhost:8080"))
			.isInstanceOf(UsageException.class)
			.hasMessage("--idp-port must differ from --plain-port and --risk-port");
	}

	@Test
	void parseWhenGatewayUrlIsNotHttpThenUsageError() {
		assertThatThrownBy(() -> DemoOptions.parse("--plain-port", "0", "--risk-port", "0", "--risk-api-key-file",
				"k", "--idp-port", "9000", "--idp-client-secret-file", "s", "--gateway-url", "localhost:8080"))
			.isInstanceOf(UsageException.class)
			.hasMessage("--gateway-url must be an http(s) URL without query or fragment but was 'localhost:8080'");
	}

	@Test
	void parseWhenConformanceCombinedWithIdentityProviderThenUsageError() {
		assertThatThrownBy(() -> DemoOptions.parse("--conformance-port", "1", "--idp-port", "2"))
			.isInstanceOf(UsageException.class)
			.hasMessage("--conformance-port cannot be combined with other options");
	}


	@Test
	void parseWhenUpstreamClientSecretThenNoApiKeyAndTheUpstreamRedirectUri() {
		DemoOptions options = DemoOptions.parse("--plain-port", "0", "--risk-port", "0", "--idp-port", "9000",
				"--idp-client-secret-file", "/run/secret", "--gateway-url", "http://localhost:8080",
				"--upstream-client-secret-file", "/run/upstream");

		assertThat(options.riskApiKeyFile()).isNull();
		assertThat(options.identityProvider().upstreamClientSecretFile()).isEqualTo(Path.of("/run/upstream"));
		assertThat(options.identityProvider().upstreamRedirectUri())
			.isEqualTo("http://localhost:8080/oauth/callback/risk-assessment-mcp");
	}

	@Test
	void parseWhenUpstreamClientSecretWithoutIdentityProviderThenUsageError() {
		assertThatThrownBy(() -> DemoOptions.parse("--plain-port", "0", "--risk-port", "0",
				"--upstream-client-secret-file", "/run/upstream"))
			.isInstanceOf(UsageException.class)
			.hasMessageContaining("--upstream-client-secret-file needs --idp-port");
	}

	@Test
	void parseWhenUpstreamClientSecretAndApiKeyThenUsageError() {
		assertThatThrownBy(() -> DemoOptions.parse("--plain-port", "0", "--risk-port", "0", "--risk-api-key-file", "k",
				"--idp-port", "9000", "--idp-client-secret-file", "/run/secret", "--gateway-url",
				"http://localhost:8080", "--upstream-client-secret-file", "/run/upstream"))
			.isInstanceOf(UsageException.class)
			.hasMessageContaining("exclude each other");
	}

}
