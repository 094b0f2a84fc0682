package dev.gatehouse.bench.load;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class JsonTests {

	@Test
	void writeNestsMapsAndListsWithTwoSpaces() {
		Map<String, Object> map = new LinkedHashMap<>();
		map.put("name", "bench");
		map.put("values", List.of(1, 2.5));
		map.put("empty", Map.of());
		map.put("none", null);
		map.put("flag", true);
		assertThat(Json.write(map)).isEqualTo("""
				{
				  "name": "bench",
				  "values": [
				    1,
				    2.5
				  ],
				  "empty": {},
				  "none": null,
				  "flag": true
				}
				""");
	}

	@Test
	void writeEscapesStrings() {
		assertThat(Json.write("a\"b\\c\nd\u0001")).isEqualTo("\"a\\\"b\\\\c\\nd\\u0001\"\n");
	}

	@Test
	void writeRoundsDoublesToThreeDecimalsAndDropsNonFiniteOnes() {
		assertThat(Json.write(Arrays.asList(1.0 / 3, 2.0, Double.NaN, 1e3))).isEqualTo("[\n  0.333,\n  2,\n  null,\n  1000\n]\n");
	}

}
