package dev.gatehouse.server.mcp;

import java.io.IOException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Times every request to {@code /mcp} as {@code gatehouse.mcp.http.requests} (tags {@code method}: GET, POST,
 * DELETE or other; {@code status}: the HTTP status), in place of Spring's {@code http.server.requests}
 * observation, which {@code /mcp} skips (ADR 0012): that observation built a context, key values, a long task
 * timer and a timer lookup for each request, about 4.5 % of a {@code tools/call}'s CPU. Here the timers are
 * registered once per (method, status) and a request costs one {@link Timer#record}. A held stream (asynchronous
 * request) is recorded when it ends, as Spring's observation did.
 */
final class McpRequestTimer implements Filter {

	private final MeterRegistry registry;

	private final ConcurrentHashMap<Integer, Timer> timers = new ConcurrentHashMap<>();

	McpRequestTimer(MeterRegistry registry) {
		this.registry = registry;
	}

	@Override
	public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
			throws IOException, ServletException {
		long start = System.nanoTime();
		HttpServletRequest http = (HttpServletRequest) request;
		HttpServletResponse answer = (HttpServletResponse) response;
		try {
			chain.doFilter(request, response);
		}
		finally {
			if (http.isAsyncStarted()) {
				http.getAsyncContext().addListener(new Completion(http.getMethod(), answer, start));
			}
			else {
				record(http.getMethod(), answer.getStatus(), start);
			}
		}
	}

	private void record(String method, int status, long start) {
		int methodIndex = switch (method) {
			case "POST" -> 0;
			case "GET" -> 1;
			case "DELETE" -> 2;
			default -> 3;
		};
		int clamped = (status < 100 || status > 599) ? 0 : status;
		timers.computeIfAbsent(methodIndex * 1000 + clamped, (key) -> Timer.builder("gatehouse.mcp.http.requests")
			.description("Requests to /mcp by HTTP method and status, from arrival to the end of the response (a held "
					+ "stream when it closes)")
			.tag("method", switch (key / 1000) {
				case 0 -> "POST";
				case 1 -> "GET";
				case 2 -> "DELETE";
				default -> "other";
			})
			.tag("status", (key % 1000 == 0) ? "unknown" : Integer.toString(key % 1000))
			.register(registry))
			.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
	}

	/** Records an asynchronous request when it ends. */
	private final class Completion implements AsyncListener {

		private final String method;

		private final HttpServletResponse response;

		private final long start;

		Completion(String method, HttpServletResponse response, long start) {
			this.method = method;
			this.response = response;
			this.start = start;
		}

		@Override
		public void onComplete(AsyncEvent event) {
			record(method, response.getStatus(), start);
		}

		@Override
		public void onTimeout(AsyncEvent event) {
		}

		@Override
		public void onError(AsyncEvent event) {
		}

		@Override
		public void onStartAsync(AsyncEvent event) {
		}
	}
}
