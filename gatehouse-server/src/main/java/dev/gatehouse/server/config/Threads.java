package dev.gatehouse.server.config;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Executors for work that blocks for long (upstream GET streams, SSE relays): one virtual thread per task on
 * JDK 21 and later, a cached pool of daemon threads on JDK 17. The build targets Java 17, so the virtual-thread
 * API is reached reflectively, once.
 */
public final class Threads {

	private static final MethodHandle VIRTUAL_PER_TASK = virtualPerTask();

	private Threads() {
	}

	/** An executor that starts one thread (virtual where available) per task; names carry {@code prefix}. */
	public static ExecutorService perTask(String prefix) {
		if (VIRTUAL_PER_TASK != null) {
			try {
				return (ExecutorService) VIRTUAL_PER_TASK.invoke();
			}
			catch (Throwable ex) {
				// fall through to platform threads
			}
		}
		AtomicInteger counter = new AtomicInteger();
		ThreadFactory factory = (runnable) -> {
			Thread thread = new Thread(runnable, prefix + "-" + counter.incrementAndGet());
			thread.setDaemon(true);
			return thread;
		};
		return Executors.newCachedThreadPool(factory);
	}

	/**
	 * A one-thread timer for per-request deadlines and pingers, on a daemon thread named {@code name}. A cancelled
	 * task leaves the queue at once ({@link ScheduledThreadPoolExecutor#setRemoveOnCancelPolicy}): by default it
	 * would stay, with whatever it captured, until its delay had passed.
	 */
	public static ScheduledThreadPoolExecutor timers(String name) {
		ScheduledThreadPoolExecutor timers = new ScheduledThreadPoolExecutor(1, (runnable) -> {
			Thread thread = new Thread(runnable, name);
			thread.setDaemon(true);
			return thread;
		});
		timers.setRemoveOnCancelPolicy(true);
		return timers;
	}

	/** Whether this JVM runs tasks on virtual threads. */
	public static boolean virtualThreadsAvailable() {
		return VIRTUAL_PER_TASK != null;
	}

	private static MethodHandle virtualPerTask() {
		try {
			return MethodHandles.publicLookup()
				.findStatic(Executors.class, "newVirtualThreadPerTaskExecutor", MethodType.methodType(ExecutorService.class));
		}
		catch (ReflectiveOperationException ex) {
			return null;
		}
	}
}
