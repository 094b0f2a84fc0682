package dev.gatehouse.server.access;

import org.junit.jupiter.api.Test;

import org.springframework.security.web.firewall.StrictHttpFirewall;

import static org.assertj.core.api.Assertions.assertThat;

/** The firewall's header rules without regular expressions accept exactly what Spring Security's defaults do. */
class HeaderValuesTests {

	@Test
	void everyCodePointIsJudgedLikeTheFirewallDefaults() {
		for (int cp = 0; cp <= Character.MAX_CODE_POINT; cp++) {
			String one = new String(Character.toChars(cp));
			String embedded = "Bearer a" + one + "b";
			assertThat(HeaderValues.allowedValue(one)).as("value U+%04X", cp)
				.isEqualTo(StrictHttpFirewall.ALLOWED_HEADER_VALUES.test(one));
			assertThat(HeaderValues.allowedValue(embedded)).as("value with U+%04X", cp)
				.isEqualTo(StrictHttpFirewall.ALLOWED_HEADER_VALUES.test(embedded));
			assertThat(HeaderValues.allowedName(one)).as("name U+%04X", cp)
				.isEqualTo(StrictHttpFirewall.ALLOWED_HEADER_NAMES.test(one));
		}
	}

	@Test
	void loneSurrogatesTabsAndEmptyStringsAreJudgedLikeTheFirewallDefaults() {
		String[] samples = { "", "\t", "a\tb", "\ud800", "x\udc00y", "\ud83d\ude00", "\ud83d", "caf\u00e9",
				"a\u0085b", "a\u007fb", "\r\n", "a b", "\u2028", "\ufffe", "\uffff" };
		for (String sample : samples) {
			assertThat(HeaderValues.allowedValue(sample)).as("value %s", sample)
				.isEqualTo(StrictHttpFirewall.ALLOWED_HEADER_VALUES.test(sample));
			assertThat(HeaderValues.allowedName(sample)).as("name %s", sample)
				.isEqualTo(StrictHttpFirewall.ALLOWED_HEADER_NAMES.test(sample));
		}
	}

	@Test
	void aRequestWithAControlCharacterInAHeaderIsStillRejected() {
		org.springframework.mock.web.MockHttpServletRequest request = new org.springframework.mock.web.MockHttpServletRequest(
				"POST", "/mcp");
		request.addHeader("X-Test", "a\u0001b");
		jakarta.servlet.http.HttpServletRequest firewalled = HeaderValues.firewall().getFirewalledRequest(request);
		org.assertj.core.api.Assertions.assertThatThrownBy(() -> firewalled.getHeader("X-Test"))
			.isInstanceOf(org.springframework.security.web.firewall.RequestRejectedException.class);
	}
}
