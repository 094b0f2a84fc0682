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

	private static InetAddress unmapped(InetAddress address) {
		if (address instanceof Inet6Address v6) {
			byte[] b = v6.getAddress();
			boolean mapped = true;
			for (int i = 0; i < 10; i++) {
				mapped &= b[i] == 0;
			}
			mapped &= b[10] == (byte) 0xff && b[11] == (byte) 0xff;
			if (mapped) {
				try {
					return InetAddress.getByAddress(new byte[] { b[12], b[13], b[14], b[15] });
				}
				catch (UnknownHostException ex) {
					throw new IllegalStateException(ex);
				}
			}
		}
		return address;
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
			try {
				InetAddress address = InetAddress.getByName(text.substring(0, slash));
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
