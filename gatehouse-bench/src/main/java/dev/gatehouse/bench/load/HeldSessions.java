package dev.gatehouse.bench.load;

import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * N MCP sessions through the gateway, each holding its GET stream (a connection the gateway keeps open to push
 * notifications): the gateway's memory per session, and its {@code tools/call} throughput while they are held
 * against the throughput just before.
 */
final class HeldSessions {

	private static final int OPENERS = 8;

	private final Stack stack;

	private final Profile profile;

	private final PrintStream log;

	HeldSessions(Stack stack, Profile profile, PrintStream log) {
		this.stack = stack;
		this.profile = profile;
		this.log = log;
	}

	void run(Map<String, Object> results) throws IOException {
		int sessions = this.profile.sessions();
		int c = this.profile.referenceConcurrency();
		long warmup = LoadBench.millis(this.profile.closedWarmup());
		long measure = LoadBench.millis(this.profile.closedMeasure());
		McpRequests requests = new McpRequests(this.stack.gatewayPort, this.stack.token);
		LoadRunner.ClientFactory factory = (i) -> McpClient.open(requests, StackFiles.BENCH_TARGET + "___json", i + 1,
				false);
		this.log.printf("bench: held sessions: %d sessions with a GET stream each, tools/call at c=%d before and during%n",
				sessions, c);
		LoadResult before = LoadRunner.closedLoop(factory, c, warmup, measure);
		Processes.sleep(1000);
		Map<String, Object> idle = sample();
		List<HttpConnection> streams = Collections.synchronizedList(new ArrayList<>());
		long started = System.nanoTime();
		String failure = open(requests, sessions, streams);
		double openSeconds = (System.nanoTime() - started) / 1e9;
		try {
			Processes.sleep(2000);
			Map<String, Object> held = sample();
			LoadResult during = LoadRunner.closedLoop(factory, c, warmup, measure);
			Map<String, Object> figures = new LinkedHashMap<>();
			figures.put("sessionsRequested", sessions);
			figures.put("streamsHeld", streams.size());
			figures.put("openSeconds", openSeconds);
			if (failure != null) {
				figures.put("firstFailure", failure);
			}
			figures.put("before", idle);
			figures.put("held", held);
			long rssGrowth = (long) held.get("rssKib") - (long) idle.get("rssKib");
			figures.put("gatewayRssKibPerSession", streams.isEmpty() ? null : (double) rssGrowth / streams.size());
			figures.put("gatewayHeapBytesPerSession", streams.isEmpty() ? null
					: ((double) held.get("heapUsedBytes") - (double) idle.get("heapUsedBytes")) / streams.size());
			figures.put("toolsCallConcurrency", c);
			figures.put("toolsCallRpsBefore", before.rps());
			figures.put("toolsCallRpsHeld", during.rps());
			figures.put("toolsCallRpsRatio", (before.rps() > 0) ? during.rps() / before.rps() : null);
			figures.put("toolsCallErrorsHeld", during.errors());
			figures.put("toolsCallP99UsBefore", before.latency().p99());
			figures.put("toolsCallP99UsHeld", during.latency().p99());
			results.put("heldSessions", figures);
			this.log.printf("bench:   %d streams held (opened in %.1f s): gateway RSS %+d KiB (%.1f KiB/session); "
					+ "tools/call %.0f → %.0f calls/s%n", streams.size(), openSeconds, rssGrowth,
					streams.isEmpty() ? 0.0 : (double) rssGrowth / streams.size(), before.rps(), during.rps());
		}
		finally {
			streams.forEach(HttpConnection::close);
		}
	}

	/** The gateway's memory after a full GC ({@code jcmd PID GC.run}), so that heap figures are live data. */
	private Map<String, Object> sample() {
		long pid = this.stack.gateway.pid();
		this.stack.gc();
		Processes.sleep(500);
		Map<String, Object> sample = new LinkedHashMap<>();
		sample.put("rssKib", ProcStats.statusKib(pid, "VmRSS"));
		sample.put("threads", ProcStats.statusKib(pid, "Threads"));
		sample.put("openFiles", ProcStats.openFiles(pid));
		try {
			String metrics = Prometheus.scrape(this.stack.gatewayPort, this.stack.managementToken);
			sample.put("heapUsedBytes", Prometheus.sum(metrics, "jvm_memory_used_bytes", "area=\"heap\""));
			sample.put("heldStreamsGauge", Prometheus.sum(metrics, "gatehouse_mcp_held_streams"));
		}
		catch (IOException ex) {
			sample.put("heapUsedBytes", Double.NaN);
			sample.put("prometheusError", ex.toString());
		}
		return sample;
	}

	/** Opens the sessions on a few threads; returns the first failure, or {@code null}. */
	private String open(McpRequests requests, int sessions, List<HttpConnection> streams) throws IOException {
		AtomicInteger next = new AtomicInteger();
		AtomicReference<String> failure = new AtomicReference<>();
		ExecutorService openers = Executors.newFixedThreadPool(OPENERS);
		try {
			List<Future<?>> done = new ArrayList<>();
			for (int i = 0; i < OPENERS; i++) {
				done.add(openers.submit(() -> openSome(requests, sessions, next, streams, failure)));
			}
			for (Future<?> future : done) {
				future.get();
			}
		}
		catch (Exception ex) {
			failure.compareAndSet(null, ex.toString());
		}
		finally {
			openers.shutdownNow();
		}
		return failure.get();
	}

	private void openSome(McpRequests requests, int sessions, AtomicInteger next, List<HttpConnection> streams,
			AtomicReference<String> failure) {
		HttpConnection control = null;
		try {
			while (next.getAndIncrement() < sessions && failure.get() == null) {
				if (control == null) {
					control = HttpConnection.open(requests.port());
				}
				String session = initialize(control, requests);
				if (control.closeRequested()) {
					control.close();
					control = null;
				}
				streams.add(holdStream(requests, session));
			}
		}
		catch (IOException | RuntimeException ex) {
			failure.compareAndSet(null, ex.toString());
		}
		finally {
			if (control != null) {
				control.close();
			}
		}
	}

	private static String initialize(HttpConnection control, McpRequests requests) throws IOException {
		int status = control.exchange(requests.initialize());
		String session = control.sessionId();
		if (status != 200 || session == null) {
			throw new IOException("initialize answered " + status + ": " + McpClient.abbreviate(control.body()));
		}
		if (control.closeRequested()) {
			return session;
		}
		status = control.exchange(requests.initialized(session));
		if (status != 202 && status != 200) {
			throw new IOException("notifications/initialized answered " + status);
		}
		return session;
	}

	private static HttpConnection holdStream(McpRequests requests, String session) throws IOException {
		HttpConnection stream = HttpConnection.open(requests.port());
		try {
			stream.timeout(15_000);
			stream.send(requests.stream(session));
			int status = stream.readHead();
			if (status != 200) {
				throw new IOException("the GET stream answered " + status);
			}
			return stream;
		}
		catch (IOException | RuntimeException ex) {
			stream.close();
			throw ex;
		}
	}

}
