package dev.gatehouse.core.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class ClientCapabilitiesTests {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	@Test
	void fromJsonWhenElicitationEmptyObjectThenFormOnly() {
		ClientCapabilities caps = read("{\"elicitation\":{}}");

		assertThat(caps).isEqualTo(new ClientCapabilities(false, true, false, false));
	}

	@Test
	void fromJsonWhenElicitationUrlOnlyThenUrlOnly() {
		ClientCapabilities caps = read("{\"elicitation\":{\"url\":{}}}");

		assertThat(caps.elicitationUrl()).isTrue();
		assertThat(caps.elicitationForm()).isFalse();
	}

	@Test
	void fromJsonWhenElicitationFormAndUrlThenBoth() {
		ClientCapabilities caps = read("{\"elicitation\":{\"form\":{},\"url\":{}}}");

		assertThat(caps.elicitationForm()).isTrue();
		assertThat(caps.elicitationUrl()).isTrue();
	}

	@Test
	void fromJsonWhenElicitationFormOnlyThenFormOnly() {
		assertThat(read("{\"elicitation\":{\"form\":{}}}"))
			.isEqualTo(new ClientCapabilities(false, true, false, false));
	}

	@ParameterizedTest
	@ValueSource(strings = { "{\"elicitation\":true}", "{\"elicitation\":null}", "{\"elicitation\":[]}",
			"{\"sampling\":true,\"roots\":\"yes\"}", "{}" })
	void fromJsonWhenCapabilitiesNotObjectsThenNotDeclared(String json) {
		assertThat(read(json)).isEqualTo(ClientCapabilities.NONE);
	}

	@Test
	void fromJsonWhenSamplingAndRootsThenBoth() {
		ClientCapabilities caps = read("{\"sampling\":{},\"roots\":{\"listChanged\":true},\"experimental\":{}}");

		assertThat(caps).isEqualTo(new ClientCapabilities(true, false, false, true));
	}

	@Test
	void fromJsonWhenNullOrNotObjectThenNone() {
		assertThat(ClientCapabilities.fromJson(null)).isSameAs(ClientCapabilities.NONE);
		assertThat(read("[]")).isSameAs(ClientCapabilities.NONE);
		assertThat(read("\"all\"")).isSameAs(ClientCapabilities.NONE);
	}

	@Test
	void toBitsWhenEachCapabilityThenDistinctBit() {
		assertThat(new ClientCapabilities(true, false, false, false).toBits()).isEqualTo(1);
		assertThat(new ClientCapabilities(false, true, false, false).toBits()).isEqualTo(2);
		assertThat(new ClientCapabilities(false, false, true, false).toBits()).isEqualTo(4);
		assertThat(new ClientCapabilities(false, false, false, true).toBits()).isEqualTo(8);
		assertThat(ClientCapabilities.NONE.toBits()).isZero();
	}

	@Test
	void fromBitsWhenEveryCombinationThenRoundTrips() {
		for (int bits = 0; bits < 16; bits++) {
			ClientCapabilities caps = ClientCapabilities.fromBits(bits);
			assertThat(caps.toBits()).as("bits %d", bits).isEqualTo(bits);
			assertThat(ClientCapabilities.fromBits(caps.toBits())).isEqualTo(caps);
		}
	}

	@Test
	void fromBitsWhenHighBitsSetThenIgnored() {
		assertThat(ClientCapabilities.fromBits(0xf0 | 0x05))
			.isEqualTo(new ClientCapabilities(true, false, true, false));
	}

	@ParameterizedTest
	@CsvSource(nullValues = "NULL",
			value = { "sampling/createMessage,NULL,true", "roots/list,NULL,false", "elicitation/create,NULL,true",
					"elicitation/create,form,true", "elicitation/create,url,false", "ping,NULL,true",
					"tools/call,NULL,false", "unknown,NULL,false" })
	void supportsWhenSamplingAndFormElicitationThenOnlyThose(String method, String mode, boolean expected) {
		ClientCapabilities caps = new ClientCapabilities(true, true, false, false);

		assertThat(caps.supports(method, mode)).isEqualTo(expected);
	}

	@ParameterizedTest
	@CsvSource(nullValues = "NULL",
			value = { "sampling/createMessage,NULL,false", "roots/list,NULL,true", "elicitation/create,NULL,false",
					"elicitation/create,form,false", "elicitation/create,url,true", "ping,NULL,true" })
	void supportsWhenRootsAndUrlElicitationThenOnlyThose(String method, String mode, boolean expected) {
		ClientCapabilities caps = new ClientCapabilities(false, false, true, true);

		assertThat(caps.supports(method, mode)).isEqualTo(expected);
	}

	@Test
	void supportsWhenNoneThenOnlyPing() {
		assertThat(ClientCapabilities.NONE.supports("ping", null)).isTrue();
		assertThat(ClientCapabilities.NONE.supports("elicitation/create", "form")).isFalse();
		assertThat(ClientCapabilities.NONE.supports("sampling/createMessage", null)).isFalse();
	}

	private static ClientCapabilities read(String json) {
		JsonNode node = JSON.readTree(json);
		return ClientCapabilities.fromJson(node);
	}

}
