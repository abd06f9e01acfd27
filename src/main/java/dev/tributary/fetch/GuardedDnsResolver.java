package dev.tributary.fetch;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import org.apache.hc.client5.http.DnsResolver;

/**
 * Resolves host names for the HTTP client and drops every address the guard refuses, so the client can only ever
 * connect to an address that was checked: there is no gap between the check and the connection (no DNS rebinding).
 */
final class GuardedDnsResolver implements DnsResolver {

    private final AddressGuard guard;

    GuardedDnsResolver(AddressGuard guard) {
        this.guard = guard;
    }

    @Override
    public InetAddress[] resolve(String host) throws UnknownHostException {
        return allowed(host).toArray(InetAddress[]::new);
    }

    @Override
    public List<InetSocketAddress> resolve(String host, int port) throws UnknownHostException {
        return allowed(host).stream().map(a -> new InetSocketAddress(a, port)).toList();
    }

    @Override
    public String resolveCanonicalHostname(String host) throws UnknownHostException {
        return allowed(host).get(0).getCanonicalHostName();
    }

    /** The host's addresses that the guard lets through; BlockedAddressException when none is left. */
    List<InetAddress> allowed(String host) throws UnknownHostException {
        String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        InetAddress[] all = InetAddress.getAllByName(bare);
        List<InetAddress> ok = new ArrayList<>(all.length);
        String refusal = null;
        for (InetAddress a : all) {
            String why = guard.refusal(a);
            if (why == null) {
                ok.add(a);
            } else {
                refusal = why;
            }
        }
        if (ok.isEmpty()) {
            throw new BlockedAddressException(host + ": " + refusal);
        }
        return ok;
    }

    /** Thrown through the HTTP client when every address of a host is refused. */
    static final class BlockedAddressException extends UnknownHostException {
        BlockedAddressException(String message) {
            super(message);
        }
    }
}
