package dev.gatehouse.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;

import dev.gatehouse.demo.DemoOptions.UsageException;
import org.junit.jupiter.api.Test;

class DemoOptionsTests {

	@Test
	void parseWhenDemoOptionsThenAllThreeValues() {
		DemoOptions options = DemoOptions.parse("--plain-port", "8091", "--risk-port=8092", "--risk-api-key-file",
				"/run/key");

		assertThat(options).isEqualTo(new DemoOptions(8091, 8092, Path.of("/run/key"), null, false));
	}

	@Test
	void parseWhenConformancePortThenConformanceOnly() {
		assertThat(DemoOptions.parse("--conformance-port", "0")).isEqualTo(new DemoOptions(null, null, null, 0, false));
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
			.hasMessage("Missing --risk-api-key-file");
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

}
