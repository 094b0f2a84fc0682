package dev.gatehouse.server.egress;

import java.math.BigInteger;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

import dev.gatehouse.core.target.UrlRules;
import dev.gatehouse.server.config.GatehouseProperties;

import org.springframework.stereotype.Component;

/**
 * Decides which resolved addresses the gateway may connect to.
 * <p>
 * Refused unless allowlisted ({@code gatehouse.egress.allowed-hosts}, {@code gatehouse.egress.allowed-cidrs}):
 * loopback (allowed when {@code gatehouse.upstream.allow-insecure-loopback} is on, for development), private
 * ranges (10/8, 172.16/12, 192.168/16, 100.64/10, fc00::/7), link-local (169.254/16 including cloud metadata
 * 169.254.169.254, fe80::/10), unspecified, multicast and broadcast addresses, and IPv4-mapped IPv6 forms of
 * all of these. Thread-safe.
 */
@Component
public final class EgressPolicy {

	private final Set<String> allowedHosts;

	private final List<Cidr> allowedCidrs;

	private final boolean allowLoopback;

	@org.springframework.beans.factory.annotation.Autowired
	public EgressPolicy(GatehouseProperties properties) {
		this(properties.egress().allowedHosts(), properties.egress().allowedCidrs(),
				properties.upstream().allowInsecureLoopback());
	}

	EgressPolicy(List<String> allowedHosts, List<String> allowedCidrs, boolean allowLoopback) {
		this.allowedHosts = allowedHosts.stream()
			.map((h) -> h.toLowerCase(Locale.ROOT))
			.collect(Collectors.toUnmodifiableSet());
		this.allowedCidrs = allowedCidrs.stream().map(Cidr::parse).toList();
		this.allowLoopback = allowLoopback;
	}

	/**
	 * Checks a URL's scheme before anything is resolved.
	 * @throws EgressDeniedException when the scheme is not allowed
	 */
	public void checkUrl(URI url) throws EgressDeniedException {
		String scheme = (url.getScheme() != null) ? url.getScheme().toLowerCase(Locale.ROOT) : "";
		if (scheme.equals("https")) {
			return;
		}
		if (scheme.equals("http") && url.getHost() != null && UrlRules.isLoopbackHost(url.getHost()) && allowLoopback) {
			return;
		}
		throw new EgressDeniedException("the egress policy allows only https (plain http only to loopback in "
				+ "development), not " + url.getScheme() + "://" + url.getHost());
	}

	/**
	 * The addresses of {@code host} the gateway may connect to.
	 * @throws EgressDeniedException when none may be used, naming the first refused address and why
	 */
	public InetAddress[] filter(String host, InetAddress[] resolved) throws EgressDeniedException {
		if (allowedHosts.contains(host.toLowerCase(Locale.ROOT))) {
			return resolved;
		}
		List<InetAddress> allowed = new ArrayList<>();
		String firstRefusal = null;
		for (InetAddress address : resolved) {
			String refusal = refusal(address);
			if (refusal == null) {
				allowed.add(address);
			}
			else if (firstRefusal == null) {
				firstRefusal = address.getHostAddress() + " is " + refusal;
			}
		}
		if (allowed.isEmpty()) {
			throw new EgressDeniedException("the egress policy refuses " + host + ": " + firstRefusal
					+ " (allowlist it with gatehouse.egress.allowed-hosts or gatehouse.egress.allowed-cidrs)");
		}
		return allowed.toArray(new InetAddress[0]);
	}

	/** Why an address is refused, or {@code null} when it is allowed. */
	String refusal(InetAddress address) {
		InetAddress a = unmapped(address);
		for (Cidr cidr : allowedCidrs) {
			if (cidr.contains(a)) {
				return null;
			}
		}
		if (a.isLoopbackAddress()) {
			return allowLoopback ? null : "a loopback address";
		}
		if (a.isAnyLocalAddress()) {
			return "the unspecified address";
		}
		if (a.isLinkLocalAddress()) {
			return "a link-local address (this includes cloud metadata endpoints)";
		}
		if (a.isMulticastAddress()) {
			return "a multicast address";
		}
		if (a.isSiteLocalAddress() || isUniqueLocal(a) || isSharedOrReserved(a)) {
			return "a private address";
		}
		return null;
	}

	/**
	 * The IPv4 address an IPv6 address carries, if it carries one: IPv4-mapped ({@code ::ffff:a.b.c.d}),
	 * IPv4-compatible ({@code ::a.b.c.d}), NAT64 ({@code 64:ff9b::/96}) and 6to4 ({@code 2002::/16}); judged as
	 * that IPv4 address, so a private or metadata address cannot hide inside an IPv6 one.
	 */
	static InetAddress unmapped(InetAddress address) {
		if (!(address instanceof Inet6Address v6)) {
			return address;
		}
		byte[] b = v6.getAddress();
		boolean zeroPrefix = true;
		for (int i = 0; i < 10; i++) {
			zeroPrefix &= b[i] == 0;
		}
		boolean mapped = zeroPrefix && b[10] == (byte) 0xff && b[11] == (byte) 0xff;
		boolean compatible = zeroPrefix && b[10] == 0 && b[11] == 0 && (b[12] != 0 || b[13] != 0);
		boolean nat64 = b[0] == 0 && b[1] == 0x64 && b[2] == (byte) 0xff && b[3] == (byte) 0x9b && allZero(b, 4, 12);
		if (mapped || compatible || nat64) {
			return ipv4(b[12], b[13], b[14], b[15]);
		}
		if (b[0] == 0x20 && b[1] == 0x02) {
			return ipv4(b[2], b[3], b[4], b[5]);
		}
		return address;
	}

	private static boolean allZero(byte[] b, int from, int to) {
		for (int i = from; i < to; i++) {
			if (b[i] != 0) {
				return false;
			}
		}
		return true;
	}

	private static InetAddress ipv4(byte a, byte b, byte c, byte d) {
		try {
			return InetAddress.getByAddress(new byte[] { a, b, c, d });
		}
		catch (UnknownHostException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static boolean isUniqueLocal(InetAddress a) {
		return a instanceof Inet6Address && (a.getAddress()[0] & 0xfe) == 0xfc;
	}

	private static boolean isSharedOrReserved(InetAddress a) {
		if (!(a instanceof Inet4Address)) {
			return false;
		}
		byte[] b = a.getAddress();
		int first = b[0] & 0xff;
		int second = b[1] & 0xff;
		return first == 0 || (first == 100 && second >= 64 && second < 128) || first >= 240
				|| (first == 192 && second == 0 && (b[2] & 0xff) == 0);
	}

	/** An address range such as {@code 10.1.0.0/16} or {@code fd00::/8}. */
	record Cidr(BigInteger network, int prefix, int bits) {

		static Cidr parse(String text) {
			int slash = text.indexOf('/');
			if (slash < 0) {
				throw new IllegalArgumentException("gatehouse.egress.allowed-cidrs: '" + text
						+ "' is not a CIDR range such as 10.1.0.0/16");
			}
			String literal = text.substring(0, slash);
			// Only IP literals: InetAddress.getByName would otherwise resolve a name (or a typo) through DNS, and it
			// reads "10.1" as 10.0.0.1.
			if (!literal.matches("\\d{1,3}(\\.\\d{1,3}){3}") && !literal.contains(":")) {
				throw new IllegalArgumentException("gatehouse.egress.allowed-cidrs: '" + text
						+ "' is not a CIDR range such as 10.1.0.0/16");
			}
			try {
				InetAddress address = InetAddress.getByName(literal);
				int bits = address.getAddress().length * 8;
				int prefix = Integer.parseInt(text.substring(slash + 1));
				if (prefix < 0 || prefix > bits) {
					throw new IllegalArgumentException("gatehouse.egress.allowed-cidrs: prefix out of range in '"
							+ text + "'");
				}
				return new Cidr(mask(new BigInteger(1, address.getAddress()), prefix, bits), prefix, bits);
			}
			catch (UnknownHostException | NumberFormatException ex) {
				throw new IllegalArgumentException("gatehouse.egress.allowed-cidrs: '" + text
						+ "' is not a CIDR range such as 10.1.0.0/16");
			}
		}

		boolean contains(InetAddress address) {
			byte[] b = address.getAddress();
			if (b.length * 8 != bits) {
				return false;
			}
			return mask(new BigInteger(1, b), prefix, bits).equals(network);
		}

		private static BigInteger mask(BigInteger value, int prefix, int bits) {
			return value.shiftRight(bits - prefix);
		}
	}
}
