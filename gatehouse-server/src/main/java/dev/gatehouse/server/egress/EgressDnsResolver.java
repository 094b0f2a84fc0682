package dev.gatehouse.server.egress;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Objects;

import org.apache.hc.client5.http.DnsResolver;
import org.apache.hc.client5.http.SystemDefaultDnsResolver;

/**
 * The HTTP client's resolver: resolves with the system resolver, then keeps only the addresses the
 * {@link EgressPolicy} allows. The client connects to exactly these addresses, so the checked address is the
 * one used.
 */
public final class EgressDnsResolver implements DnsResolver {

	private final EgressPolicy policy;

	private final DnsResolver delegate;

	public EgressDnsResolver(EgressPolicy policy) {
		this(policy, SystemDefaultDnsResolver.INSTANCE);
	}

	EgressDnsResolver(EgressPolicy policy, DnsResolver delegate) {
		this.policy = Objects.requireNonNull(policy, "policy must not be null");
		this.delegate = Objects.requireNonNull(delegate, "delegate must not be null");
	}

	@Override
	public InetAddress[] resolve(String host) throws UnknownHostException {
		return policy.filter(host, delegate.resolve(host));
	}

	@Override
	public String resolveCanonicalHostname(String host) throws UnknownHostException {
		return delegate.resolveCanonicalHostname(host);
	}
}
