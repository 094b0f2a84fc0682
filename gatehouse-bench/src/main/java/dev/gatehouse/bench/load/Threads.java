package dev.gatehouse.bench.load;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Where the harness's blocking tasks run: one virtual thread per task on JDK 21+ (found by reflection, since the
 * module is compiled for Java 17), else one platform thread per task.
 */
final class Threads {

	private Threads() {
	}

	/**
	 * An executor with one thread per task.
	 * @param virtual whether to prefer virtual threads when the JDK has them
	 * @return the executor
	 */
	static ExecutorService perTask(boolean virtual) {
		if (virtual) {
			try {
				return (ExecutorService) Executors.class.getMethod("newVirtualThreadPerTaskExecutor").invoke(null);
			}
			catch (ReflectiveOperationException ex) {
				// JDK 17-20: platform threads below
			}
		}
		return Executors.newCachedThreadPool((task) -> {
			Thread thread = new Thread(task);
			thread.setDaemon(true);
			return thread;
		});
	}

}
