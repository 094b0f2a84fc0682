package dev.gatehouse.bench.load;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

import org.HdrHistogram.Histogram;

/**
 * Drives {@link Caller}s: closed loop (each connection calls again as soon as the answer is in: saturation
 * throughput) and open loop (calls start on a fixed schedule whatever the answers do, and latency counts from the
 * scheduled start, so a stalled server is charged for every call it delayed: no coordinated omission). One
 * platform thread per connection; each thread has its own histograms, merged at the end.
 */
final class LoadRunner {

	/** Opens the client of connection {@code index}. */
	@FunctionalInterface
	interface ClientFactory {

		Caller open(int index) throws IOException;

	}

	private LoadRunner() {
	}

	/**
	 * Runs a closed loop.
	 * @param factory opens each connection's client (before the clock starts)
	 * @param concurrency connections, each with one call in flight
	 * @param warmupNanos calls in this first period are not counted
	 * @param measureNanos the measured period
	 * @return what was measured
	 * @throws IOException if a client cannot be opened
	 */
	static LoadResult closedLoop(ClientFactory factory, int concurrency, long warmupNanos, long measureNanos)
			throws IOException {
		return run(factory, concurrency, warmupNanos, measureNanos, 0);
	}

	/**
	 * Runs an open loop at a fixed rate.
	 * @param factory opens each connection's client
	 * @param connections connections sharing the schedule (calls are dealt round-robin)
	 * @param rate calls per second
	 * @param warmupNanos calls scheduled in this first period are not counted
	 * @param measureNanos the measured period
	 * @return what was measured; {@code latency} from the intended starts
	 * @throws IOException if a client cannot be opened
	 */
	static LoadResult openLoop(ClientFactory factory, int connections, double rate, long warmupNanos,
			long measureNanos) throws IOException {
		return run(factory, connections, warmupNanos, measureNanos, rate);
	}

	/**
	 * When call {@code k} of connection {@code connection} is due: the calls of all connections form one
	 * schedule at {@code rate}, dealt round-robin.
	 * @param start the schedule's start (nanoTime)
	 * @param k the connection's call number, from 0
	 * @param connections the number of connections
	 * @param connection this connection's index
	 * @param rate calls per second over all connections
	 * @return the intended start (nanoTime)
	 */
	static long intendedStart(long start, long k, int connections, int connection, double rate) {
		return start + (long) ((k * connections + connection) * 1e9 / rate);
	}

	private static LoadResult run(ClientFactory factory, int connections, long warmupNanos, long measureNanos,
			double rate) throws IOException {
		List<Caller> clients = openAll(factory, connections);
		Run run = new Run(System.nanoTime() + 20_000_000L, warmupNanos, measureNanos, rate, connections);
		List<Thread> threads = new ArrayList<>();
		CountDownLatch done = new CountDownLatch(connections);
		for (int i = 0; i < connections; i++) {
			int index = i;
			Thread thread = new Thread(() -> {
				try {
					run.loop(clients.get(index), index);
				}
				finally {
					done.countDown();
				}
			}, "load-" + i);
			thread.setDaemon(true);
			threads.add(thread);
		}
		threads.forEach(Thread::start);
		try {
			done.await();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		clients.forEach(Caller::close);
		return run.result();
	}

	private static List<Caller> openAll(ClientFactory factory, int connections) throws IOException {
		List<Caller> clients = new ArrayList<>();
		try {
			for (int i = 0; i < connections; i++) {
				clients.add(factory.open(i));
			}
			return clients;
		}
		catch (IOException | RuntimeException ex) {
			clients.forEach(Caller::close);
			throw ex;
		}
	}

	/** The shared state of one run. */
	private static final class Run {

		private final long start;

		private final long measureStart;

		private final long end;

		private final double rate;

		private final int connections;

		private final LongAdder requests = new LongAdder();

		private final LongAdder errors = new LongAdder();

		private final LongAdder allCalls = new LongAdder();

		private final AtomicReference<String> firstError = new AtomicReference<>();

		private final Histogram latency = Latency.histogram();

		private final Histogram service = Latency.histogram();

		Run(long start, long warmupNanos, long measureNanos, double rate, int connections) {
			this.start = start;
			this.measureStart = start + warmupNanos;
			this.end = this.measureStart + measureNanos;
			this.rate = rate;
			this.connections = connections;
		}

		void loop(Caller client, int index) {
			Histogram latency = Latency.histogram();
			Histogram service = Latency.histogram();
			LockSupport.parkNanos(this.start - System.nanoTime());
			for (long k = 0;; k++) {
				long intended = (this.rate > 0) ? intendedStart(this.start, k, this.connections, index, this.rate)
						: System.nanoTime();
				if (intended >= this.end) {
					break;
				}
				long wait;
				while ((wait = intended - System.nanoTime()) > 0) {
					LockSupport.parkNanos(wait);
				}
				long began = System.nanoTime();
				boolean ok = call(client);
				long finished = System.nanoTime();
				this.allCalls.increment();
				if (intended >= this.measureStart) {
					this.requests.increment();
					if (ok) {
						latency.recordValue(Math.min(finished - intended, latency.getHighestTrackableValue()));
						service.recordValue(Math.min(finished - began, service.getHighestTrackableValue()));
					}
					else {
						this.errors.increment();
						this.firstError.compareAndSet(null, client.lastBody());
					}
				}
			}
			synchronized (this) {
				this.latency.add(latency);
				this.service.add(service);
			}
		}

		private boolean call(Caller client) {
			try {
				return client.call();
			}
			catch (IOException ex) {
				this.firstError.compareAndSet(null, ex.toString());
				LockSupport.parkNanos(1_000_000);
				return false;
			}
		}

		synchronized LoadResult result() {
			double seconds = (this.end - this.measureStart) / 1e9;
			return new LoadResult(this.requests.sum(), this.errors.sum(), seconds, Latency.of(this.latency),
					Latency.of(this.service), this.firstError.get(), this.allCalls.sum());
		}

	}

}
