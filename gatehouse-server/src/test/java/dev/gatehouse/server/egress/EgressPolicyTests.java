package dev.gatehouse.server.egress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class EgressPolicyTests {

	private final EgressPolicy strict = new EgressPolicy(List.of(), List.of(), false);

	private final EgressPolicy loopbackAllowed = new EgressPolicy(List.of(), List.of(), true);

	// refusal

	@ParameterizedTest
	@ValueSource(strings = { "127.0.0.1", "127.8.9.10", "::1", "::ffff:127.0.0.1" })
	void refusalWhenLoopbackThenRefusedUnlessLoopbackAllowed(String literal) {
		assertThat(strict.refusal(ip(literal))).isEqualTo("a loopback address");
		assertThat(loopbackAllowed.refusal(ip(literal))).isNull();
	}

	@ParameterizedTest
	@ValueSource(strings = { "10.0.0.1", "10.255.255.255", "172.16.0.1", "172.31.255.254", "192.168.0.1",
			"192.168.255.255", "100.64.0.1", "100.127.255.254", "fc00::1", "fd12:3456:789a::1", "fdff:ffff::1",
			"fec0::1", "0.1.2.3", "192.0.0.8", "240.0.0.1", "255.255.255.255" })
	void refusalWhenPrivateSharedOrReservedThenPrivateAddress(String literal) {
		assertThat(strict.refusal(ip(literal))).isEqualTo("a private address");
		assertThat(loopbackAllowed.refusal(ip(literal))).isEqualTo("a private address");
	}

	@ParameterizedTest
	@ValueSource(strings = { "169.254.169.254", "169.254.0.1", "fe80::1", "fe80::1:2:3:4", "febf::1" })
	void refusalWhenLinkLocalIncludingCloudMetadataThenLinkLocal(String literal) {
		assertThat(strict.refusal(ip(literal)))
			.isEqualTo("a link-local address (this includes cloud metadata endpoints)");
	}

	@ParameterizedTest
	@ValueSource(strings = { "0.0.0.0", "::" })
	void refusalWhenUnspecifiedThenRefused(String literal) {
		assertThat(strict.refusal(ip(literal))).isEqualTo("the unspecified address");
		assertThat(loopbackAllowed.refusal(ip(literal))).isEqualTo("the unspecified address");
	}

	@ParameterizedTest
	@ValueSource(strings = { "224.0.0.1", "239.255.255.250", "ff02::1", "ff05::1:3" })
	void refusalWhenMulticastThenRefused(String literal) {
		assertThat(strict.refusal(ip(literal))).isEqualTo("a multicast address");
	}

	@ParameterizedTest
	@CsvSource({ "10.0.0.1,a private address", "127.0.0.1,a loopback address", "192.168.1.1,a private address",
			"169.254.169.254,a link-local address (this includes cloud metadata endpoints)",
			"0.0.0.0,the unspecified address", "224.0.0.1,a multicast address", "100.64.0.1,a private address" })
	void refusalWhenIpv4MappedIpv6ThenJudgedAsIpv4(String ipv4, String reason) throws UnknownHostException {
		InetAddress mapped = mappedV6(ipv4);

		assertThat(mapped).isInstanceOf(Inet6Address.class);
		assertThat(strict.refusal(mapped)).isEqualTo(reason);
		assertThat(strict.refusal(ip("::ffff:" + ipv4))).isEqualTo(reason);
	}

	@ParameterizedTest
	@ValueSource(strings = { "8.8.8.8", "1.1.1.1", "93.184.216.34", "172.15.255.255", "172.32.0.1", "100.63.255.255",
			"100.128.0.1", "192.167.255.255", "192.169.0.1", "11.0.0.1", "169.253.255.255", "2606:4700:4700::1111",
			"2001:4860:4860::8888", "fbff::1", "fe00::1", "::ffff:8.8.8.8" })
	void refusalWhenPublicAddressThenAllowed(String literal) {
		assertThat(strict.refusal(ip(literal))).isNull();
	}

	@Test
	void refusalWhenMappedPublicAddressAsInet6ThenAllowed() throws UnknownHostException {
		assertThat(strict.refusal(mappedV6("8.8.8.8"))).isNull();
	}

	// allow-lists

	@Test
	void refusalWhenAllowedCidrContainsPrivateAddressThenAllowed() {
		EgressPolicy policy = new EgressPolicy(List.of(), List.of("10.1.0.0/16"), false);

		assertThat(policy.refusal(ip("10.1.2.3"))).isNull();
		assertThat(policy.refusal(ip("10.1.255.255"))).isNull();
		assertThat(policy.refusal(ip("::ffff:10.1.0.9"))).isNull();
		assertThat(policy.refusal(ip("10.2.0.1"))).isEqualTo("a private address");
		assertThat(policy.refusal(ip("10.0.255.255"))).isEqualTo("a private address");
	}

	@Test
	void refusalWhenAllowedCidrContainsLoopbackOrMetadataThenAllowed() {
		EgressPolicy policy = new EgressPolicy(List.of(), List.of("127.0.0.0/8", "169.254.169.254/32"), false);

		assertThat(policy.refusal(ip("127.0.0.1"))).isNull();
		assertThat(policy.refusal(ip("169.254.169.254"))).isNull();
		assertThat(policy.refusal(ip("169.254.169.253"))).isNotNull();
	}

	@Test
	void refusalWhenIpv6CidrThenMatchesOnlyIpv6InRange() {
		EgressPolicy policy = new EgressPolicy(List.of(), List.of("fd00:1::/32"), false);

		assertThat(policy.refusal(ip("fd00:1::5"))).isNull();
		assertThat(policy.refusal(ip("fd00:2::5"))).isEqualTo("a private address");
		assertThat(policy.refusal(ip("10.0.0.1"))).isEqualTo("a private address");
	}

	@Test
	void refusalWhenCidrNotOnNetworkBoundaryThenMaskedToNetwork() {
		EgressPolicy policy = new EgressPolicy(List.of(), List.of("192.168.1.77/24"), false);

		assertThat(policy.refusal(ip("192.168.1.1"))).isNull();
		assertThat(policy.refusal(ip("192.168.2.1"))).isEqualTo("a private address");
	}

	@Test
	void refusalWhenZeroPrefixCidrThenEveryAddressOfThatFamilyAllowed() {
		EgressPolicy policy = new EgressPolicy(List.of(), List.of("0.0.0.0/0"), false);

		assertThat(policy.refusal(ip("10.0.0.1"))).isNull();
		assertThat(policy.refusal(ip("127.0.0.1"))).isNull();
		assertThat(policy.refusal(ip("fc00::1"))).isEqualTo("a private address");
	}

	@Test
	void filterWhenHostAllowlistedThenEveryAddressReturnedWhateverItIs() throws Exception {
		EgressPolicy policy = new EgressPolicy(List.of("Internal.Example.COM"), List.of(), false);
		InetAddress[] resolved = { ip("10.0.0.5"), ip("127.0.0.1") };

		assertThat(policy.filter("internal.example.com", resolved)).containsExactly(resolved);
		assertThat(policy.filter("INTERNAL.example.com", resolved)).containsExactly(resolved);
	}

	@Test
	void filterWhenOtherHostThenAllowlistDoesNotApply() {
		EgressPolicy policy = new EgressPolicy(List.of("internal.example.com"), List.of(), false);

		assertThatThrownBy(() -> policy.filter("evil.example.com", new InetAddress[] { ip("10.0.0.5") }))
			.isInstanceOf(EgressDeniedException.class);
	}

	@Test
	void filterWhenSomeAddressesRefusedThenOnlyAllowedOnesReturnedInOrder() throws Exception {
		InetAddress[] resolved = { ip("10.0.0.1"), ip("93.184.216.34"), ip("169.254.169.254"), ip("2606:4700::1") };

		assertThat(strict.filter("mcp.example.com", resolved)).containsExactly(ip("93.184.216.34"), ip("2606:4700::1"));
	}

	@Test
	void filterWhenEveryAddressRefusedThenDeniedNamingHostFirstAddressAndReason() {
		InetAddress[] resolved = { ip("169.254.169.254"), ip("10.0.0.1") };

		EgressDeniedException ex = catchThrowableOfType(EgressDeniedException.class,
				() -> strict.filter("metadata.example.com", resolved));

		assertThat(ex).isInstanceOf(UnknownHostException.class)
			.hasMessage("the egress policy refuses metadata.example.com: 169.254.169.254 is a link-local address "
					+ "(this includes cloud metadata endpoints) (allowlist it with gatehouse.egress.allowed-hosts or "
					+ "gatehouse.egress.allowed-cidrs)");
	}

	@Test
	void filterWhenLoopbackAndAllowedThenReturned() throws Exception {
		assertThat(loopbackAllowed.filter("localhost", new InetAddress[] { ip("127.0.0.1"), ip("::1") }))
			.containsExactly(ip("127.0.0.1"), ip("::1"));
	}

	@Test
	void filterWhenNoAddressesThenDenied() {
		assertThatThrownBy(() -> strict.filter("empty.example.com", new InetAddress[0]))
			.isInstanceOf(EgressDeniedException.class)
			.hasMessageStartingWith("the egress policy refuses empty.example.com: ");
	}

	// configuration

	@ParameterizedTest
	@ValueSource(strings = { "10.0.0.0", "10.0.0.0/abc", "10.0.0.0/", "[fd00::/8", "fd00::zz/8", "10.0.0.0/8/8" })
	void constructorWhenCidrMalformedThenRefusedNamingKeyAndValue(String cidr) {
		assertThatThrownBy(() -> new EgressPolicy(List.of(), List.of(cidr), false))
			.isInstanceOf(IllegalArgumentException.class)
			.hasMessageStartingWith("gatehouse.egress.allowed-cidrs: ")
			.hasMessageContaining("'" + cidr + "'");
	}

	@ParameterizedTest
	@ValueSource(strings = { "10.0.0.0/33", "10.0.0.0/-1", "fd00::/129" })
	void constructorWhenCidrPrefixOutOfRangeThenRefusedNamingKey(String cidr) {
		assertThatThrownBy(() -> new EgressPolicy(List.of(), List.of(cidr), false))
			.isInstanceOf(IllegalArgumentException.class)
			.hasMessage("gatehouse.egress.allowed-cidrs: prefix out of range in '" + cidr + "'");
	}

	@ParameterizedTest
	@ValueSource(strings = { "localhost/8", "10.1/16" })
	void constructorWhenCidrAddressNotAFullIpLiteralThenRefused(String cidr) {
		assertThatThrownBy(() -> new EgressPolicy(List.of(), List.of(cidr), false))
			.isInstanceOf(IllegalArgumentException.class)
			.hasMessageStartingWith("gatehouse.egress.allowed-cidrs: ");
	}

	@Test
	void constructorWhenCidrsValidThenAccepted() {
		assertThatCode(
				() -> new EgressPolicy(List.of(), List.of("10.0.0.0/8", "fd00::/8", "1.2.3.4/32", "::/0"), false))
			.doesNotThrowAnyException();
	}

	// checkUrl

	@ParameterizedTest
	@ValueSource(strings = { "https://mcp.example.com/mcp", "HTTPS://MCP.EXAMPLE.COM/", "https://10.0.0.1/" })
	void checkUrlWhenHttpsThenAllowed(String url) {
		assertThatCode(() -> strict.checkUrl(URI.create(url))).doesNotThrowAnyException();
	}

	@ParameterizedTest
	@ValueSource(strings = { "http://localhost:8080/mcp", "http://127.0.0.1/mcp", "http://[::1]:9000/mcp" })
	void checkUrlWhenPlainHttpToLoopbackThenAllowedOnlyWhenLoopbackAllowed(String url) {
		assertThatCode(() -> loopbackAllowed.checkUrl(URI.create(url))).doesNotThrowAnyException();
		assertThatThrownBy(() -> strict.checkUrl(URI.create(url))).isInstanceOf(EgressDeniedException.class)
			.hasMessageStartingWith("the egress policy allows only https (plain http only to loopback in development)");
	}

	@Test
	void checkUrlWhenPlainHttpToOtherHostThenDeniedEvenWhenLoopbackAllowed() {
		assertThatThrownBy(() -> loopbackAllowed.checkUrl(URI.create("http://mcp.example.com/mcp")))
			.isInstanceOf(EgressDeniedException.class)
			.hasMessage("the egress policy allows only https (plain http only to loopback in development), "
					+ "not http://mcp.example.com");
	}

	@ParameterizedTest
	@CsvSource({ "ftp://files.example.com/x,ftp://files.example.com", "file:///etc/passwd,file://null",
			"ws://localhost/x,ws://localhost", "/relative/path,null://null" })
	void checkUrlWhenOtherSchemeThenDeniedNamingIt(String url, String named) {
		assertThatThrownBy(() -> loopbackAllowed.checkUrl(URI.create(url))).isInstanceOf(EgressDeniedException.class)
			.hasMessageEndingWith("not " + named);
	}

	private static InetAddress ip(String literal) {
		try {
			return InetAddress.getByName(literal);
		}
		catch (UnknownHostException ex) {
			throw new IllegalArgumentException(literal, ex);
		}
	}

	/**
	 * An IPv4-mapped IPv6 address that stays an {@link Inet6Address} (getByName would
	 * unwrap it).
	 */
	private static InetAddress mappedV6(String ipv4) throws UnknownHostException {
		byte[] v4 = ip(ipv4).getAddress();
		byte[] v6 = new byte[16];
		v6[10] = (byte) 0xff;
		v6[11] = (byte) 0xff;
		System.arraycopy(v4, 0, v6, 12, 4);
		return Inet6Address.getByAddress(null, v6, -1);
	}


	@org.junit.jupiter.params.ParameterizedTest
	@org.junit.jupiter.params.provider.CsvSource({ "64:ff9b::a9fe:a9fe, link-local", "64:ff9b::a00:1, private",
			"2002:a00:1::, private", "2002:a9fe:a9fe::1, link-local", "::a00:1, private" })
	void refusalWhenIpv4IsEmbeddedInNat64Or6to4OrCompatibleFormThenJudgedAsThatIpv4(String ipv6, String kind)
			throws UnknownHostException {
		EgressPolicy policy = new EgressPolicy(java.util.List.of(), java.util.List.of(), false);
		String refusal = policy.refusal(java.net.InetAddress.getByName(ipv6));
		org.assertj.core.api.Assertions.assertThat(refusal).as(ipv6).isNotNull().contains(kind);
	}

	@org.junit.jupiter.api.Test
	void refusalWhenNat64EmbedsAPublicAddressThenAllowed() throws UnknownHostException {
		EgressPolicy policy = new EgressPolicy(java.util.List.of(), java.util.List.of(), false);
		org.assertj.core.api.Assertions.assertThat(policy.refusal(java.net.InetAddress.getByName("64:ff9b::808:808")))
			.isNull();
	}
}
