package dev.gatehouse.bench.load;

import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Many upstream grants expiring together: the storm targets' client-credentials tokens are obtained within a
 * second of each other (one call each), live {@code stormTokenSeconds} at the IdP, and the gateway refreshes them
 * 2 s before they expire, on use. When they are due, {@value #CALLERS_PER_GRANT} callers per grant call at the same
 * instant. Checks that each grant was refreshed exactly once (the gateway's
 * {@code gatehouse_oauth_token_requests_total}), and compares the p99 of other callers (an open loop on the main
 * target at 50 % of saturation) during the storm with their p99 just before it.
 */
final class RefreshStorm {

	static final int CALLERS_PER_GRANT = 2;

	private static final String TOKEN_REQUESTS = "gatehouse_oauth_token_requests_total";

	private final Stack stack;

	private final Profile profile;

	private final PrintStream log;

	private final double rate;

	/** Successful storm-target token requests during the storm. */
	private double successfulRequests;

	/** Successful storm-target token requests at the last scrape. */
	private double lastSuccesses;

	RefreshStorm(Stack stack, Profile profile, PrintStream log, double rate) {
		this.stack = stack;
		this.profile = profile;
		this.log = log;
		this.rate = rate;
	}

	void run(Map<String, Object> results) throws IOException {
		int grants = this.profile.stormTargets();
		if (grants == 0) {
			return;
		}
		this.log.printf("bench: refresh storm: %d client-credentials grants (tokens of %d s) due together, %d callers "
				+ "each; other callers at %.0f calls/s%n", grants, this.profile.stormTokenSeconds(), CALLERS_PER_GRANT,
				this.rate);
		McpRequests requests = new McpRequests(this.stack.gatewayPort, this.stack.token);
		List<McpClient> callers = new ArrayList<>();
		try {
			for (int i = 0; i < grants * CALLERS_PER_GRANT; i++) {
				callers.add(McpClient.open(requests, StackFiles.STORM_TARGET_PREFIX + (i % grants) + "___json", 1, false));
			}
			stormWith(callers, grants, results);
		}
		catch (IOException ex) {
			// the storm is the last phase: its failure is a finding, not a reason to lose the run
			results.put("refreshStorm", Map.of("error", ex.toString()));
			this.log.println("bench:   refresh storm failed: " + ex);
		}
		finally {
			callers.forEach(McpClient::close);
		}
	}

	private void stormWith(List<McpClient> callers, int grants, Map<String, Object> results) throws IOException {
		long primeFailures = 0;
		for (int i = 0; i < grants; i++) {
			primeFailures += prime(callers.get(i)) ? 0 : 1;
		}
		// every token was obtained by now: all are due (2 s before expiry) at most TTL - 2 s later; one more
		// second of margin for the whole seconds of expires_in and busy cores
		long due = System.nanoTime() + (this.profile.stormTokenSeconds() - 1) * 1_000_000_000L;
		Map<String, Double> countsBefore = tokenRequests();
		double successesBefore = this.lastSuccesses;
		long open = LoadBench.millis(Math.min(this.profile.openMeasure(), 4000));
		LoadResult baseline = other(open);
		long wait = due - System.nanoTime() - 1_000_000_000L;
		if (wait > 0) {
			Processes.sleep(wait / 1_000_000);
		}
		ExecutorService background = Executors.newSingleThreadExecutor();
		try {
			Future<LoadResult> during = background.submit(() -> other(open));
			Processes.sleep(Math.max(0, (due - System.nanoTime()) / 1_000_000));
			Storm storm = storm(callers);
			LoadResult others = during.get();
			Map<String, Double> countsAfter = tokenRequests();
			this.successfulRequests = this.lastSuccesses - successesBefore;
			results.put("refreshStorm", figures(grants, primeFailures, storm, baseline, others, countsBefore,
					countsAfter));
		}
		catch (Exception ex) {
			results.put("refreshStorm", Map.of("error", ex.toString()));
			this.log.println("bench:   refresh storm failed: " + ex);
		}
		finally {
			background.shutdownNow();
		}
	}

	private static boolean prime(McpClient caller) {
		try {
			return caller.call();
		}
		catch (IOException ex) {
			return false;
		}
	}

	private LoadResult other(long measureNanos) throws IOException {
		McpRequests requests = new McpRequests(this.stack.gatewayPort, this.stack.token);
		return LoadRunner.openLoop((i) -> McpClient.open(requests, StackFiles.BENCH_TARGET + "___json", i + 1, false),
				this.profile.openConnections(), this.rate, 0, measureNanos);
	}

	/** What the storm's callers saw. */
	private record Storm(long ok, long failed, double seconds, double maxCallMillis, String firstFailure) {
	}

	private static Storm storm(List<McpClient> callers) throws InterruptedException {
		CountDownLatch start = new CountDownLatch(1);
		CountDownLatch done = new CountDownLatch(callers.size());
		AtomicLong ok = new AtomicLong();
		AtomicLong maxNanos = new AtomicLong();
		java.util.concurrent.atomic.AtomicReference<String> firstFailure = new java.util.concurrent.atomic.AtomicReference<>();
		for (McpClient caller : callers) {
			Thread thread = new Thread(() -> {
				try {
					start.await();
					long began = System.nanoTime();
					boolean success = caller.call();
					maxNanos.accumulateAndGet(System.nanoTime() - began, Math::max);
					ok.addAndGet(success ? 1 : 0);
					if (!success) {
						firstFailure.compareAndSet(null, caller.lastBody());
					}
				}
				catch (IOException | InterruptedException ex) {
					firstFailure.compareAndSet(null, ex.toString());
				}
				finally {
					done.countDown();
				}
			});
			thread.setDaemon(true);
			thread.start();
		}
		long began = System.nanoTime();
		start.countDown();
		done.await();
		return new Storm(ok.get(), callers.size() - ok.get(), (System.nanoTime() - began) / 1e9,
				maxNanos.get() / 1e6, firstFailure.get());
	}

	/** Token requests per storm target, whatever their outcome ({@code success}, {@code failure}, {@code refused}). */
	private Map<String, Double> tokenRequests() throws IOException {
		String metrics = Prometheus.scrape(this.stack.gatewayPort, this.stack.managementToken);
		this.lastSuccesses = Prometheus.sum(metrics, TOKEN_REQUESTS, "grant_type=\"client_credentials\"",
				"outcome=\"success\"", "target=\"" + StackFiles.STORM_TARGET_PREFIX);
		Map<String, Double> counts = new LinkedHashMap<>();
		Prometheus.byLabel(metrics, TOKEN_REQUESTS, "target", "grant_type=\"client_credentials\"")
			.forEach((target, count) -> {
				if (target.startsWith(StackFiles.STORM_TARGET_PREFIX)) {
					counts.put(target, count);
				}
			});
		return counts;
	}

	private Map<String, Object> figures(int grants, long primeFailures, Storm storm, LoadResult baseline,
			LoadResult others, Map<String, Double> before, Map<String, Double> after) {
		int exactlyOne = 0;
		int notRefreshed = 0;
		double min = Double.MAX_VALUE;
		double max = 0;
		double total = 0;
		for (int i = 0; i < grants; i++) {
			String target = StackFiles.STORM_TARGET_PREFIX + i;
			double refreshes = after.getOrDefault(target, 0.0) - before.getOrDefault(target, 0.0);
			exactlyOne += (refreshes == 1.0) ? 1 : 0;
			notRefreshed += (refreshes == 0.0) ? 1 : 0;
			min = Math.min(min, refreshes);
			max = Math.max(max, refreshes);
			total += refreshes;
		}
		Map<String, Object> figures = new LinkedHashMap<>();
		figures.put("grants", grants);
		figures.put("tokenSeconds", this.profile.stormTokenSeconds());
		figures.put("callersPerGrant", CALLERS_PER_GRANT);
		figures.put("primeFailures", primeFailures);
		figures.put("stormCallsOk", storm.ok());
		figures.put("stormCallsFailed", storm.failed());
		figures.put("stormSeconds", storm.seconds());
		figures.put("stormSlowestCallMs", storm.maxCallMillis());
		if (storm.firstFailure() != null) {
			figures.put("stormFirstFailure", storm.firstFailure());
		}
		figures.put("grantsNotRefreshed", notRefreshed);
		figures.put("tokenRequestsDuringStorm", total);
		figures.put("successfulTokenRequestsDuringStorm", this.successfulRequests);
		figures.put("grantsRefreshedExactlyOnce", exactlyOne);
		figures.put("refreshesPerGrantMin", min);
		figures.put("refreshesPerGrantMax", max);
		figures.put("otherCallersRate", this.rate);
		figures.put("otherCallersP99UsBefore", baseline.latency().p99());
		figures.put("otherCallersP99UsDuring", others.latency().p99());
		figures.put("otherCallersP99Ratio",
				(baseline.latency().p99() > 0) ? others.latency().p99() / baseline.latency().p99() : null);
		figures.put("otherCallersErrorsDuring", others.errors());
		this.log.printf("bench:   %d of %d grants refreshed exactly once (%.0f token requests, %.0f successful); storm calls "
				+ "%d ok, %d failed (slowest %.0f ms); other callers p99 %.0f → %.0f µs%n", exactlyOne, grants, total,
				this.successfulRequests, storm.ok(), storm.failed(), storm.maxCallMillis(), baseline.latency().p99(), others.latency().p99());
		if (storm.firstFailure() != null) {
			this.log.println("bench:     first storm failure: " + storm.firstFailure());
		}
		return figures;
	}

}
