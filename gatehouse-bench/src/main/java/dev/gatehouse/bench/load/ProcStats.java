package dev.gatehouse.bench.load;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * What Linux tells about a process in {@code /proc}: CPU time (user + system, {@code /proc/PID/stat} fields 14
 * and 15, in clock ticks), memory ({@code VmRSS} and {@code VmHWM} of {@code /proc/PID/status}), open file
 * descriptors, and CPU time per thread group (threads of one name, digits removed, from
 * {@code /proc/PID/task/TID/stat}).
 *
 * @see <a href="https://man7.org/linux/man-pages/man5/proc_pid_stat.5.html">proc_pid_stat(5)</a>
 */
final class ProcStats {

	/** Clock ticks per second of {@code /proc} CPU times ({@code USER_HZ}); 100 on every Linux the bench targets. */
	static final int TICKS_PER_SECOND = 100;

	private ProcStats() {
	}

	/**
	 * CPU time of a process so far.
	 * @param pid the process id
	 * @return user + system time in microseconds, or -1 if the process is gone
	 */
	static long cpuMicros(long pid) {
		try {
			return ticksToMicros(cpuTicks(Files.readString(Path.of("/proc", Long.toString(pid), "stat"))));
		}
		catch (IOException ex) {
			return -1;
		}
	}

	/**
	 * Parses utime + stime out of a {@code stat} line. The command name (field 2) may hold spaces and
	 * parentheses, so fields are counted from its last closing parenthesis.
	 * @param stat the content of {@code /proc/PID/stat} or {@code /proc/PID/task/TID/stat}
	 * @return utime + stime in clock ticks
	 */
	static long cpuTicks(String stat) {
		String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
		// fields[0] is field 3 (state): utime is field 14, stime field 15
		return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
	}

	/**
	 * The command name of a {@code stat} line (field 2, without its parentheses).
	 * @param stat the line
	 * @return the name
	 */
	static String name(String stat) {
		return stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
	}

	static long ticksToMicros(long ticks) {
		return ticks * (1_000_000L / TICKS_PER_SECOND);
	}

	/**
	 * A memory line of {@code /proc/PID/status}.
	 * @param pid the process id
	 * @param key {@code VmRSS}, {@code VmHWM}, …
	 * @return the value in KiB, or -1
	 */
	static long statusKib(long pid, String key) {
		try {
			return statusKib(Files.readString(Path.of("/proc", Long.toString(pid), "status")), key);
		}
		catch (IOException ex) {
			return -1;
		}
	}

	/**
	 * Parses a {@code Key:   1234 kB} line.
	 * @param status the content of {@code /proc/PID/status}
	 * @param key the key
	 * @return the value in KiB, or -1 if absent
	 */
	static long statusKib(String status, String key) {
		for (String line : status.split("\n")) {
			if (line.startsWith(key + ":")) {
				String value = line.substring(key.length() + 1).trim();
				int space = value.indexOf(' ');
				return Long.parseLong((space > 0) ? value.substring(0, space) : value);
			}
		}
		return -1;
	}

	/**
	 * Open file descriptors of a process.
	 * @param pid the process id
	 * @return the count, or -1
	 */
	static long openFiles(long pid) {
		try (DirectoryStream<Path> fds = Files.newDirectoryStream(Path.of("/proc", Long.toString(pid), "fd"))) {
			long count = 0;
			for (Path ignored : fds) {
				count++;
			}
			return count;
		}
		catch (IOException ex) {
			return -1;
		}
	}

	/**
	 * CPU time per thread group of a process: threads whose names differ only in digits are one group
	 * ({@code http-nio-18792-exec-7} and {@code -exec-12} are {@code http-nio-#-exec-#}). Threads that ended are
	 * not counted, so take deltas only over periods when the pools are stable.
	 * @param pid the process id
	 * @return microseconds per group, sorted by name
	 */
	static Map<String, Long> threadGroupMicros(long pid) {
		Map<String, Long> groups = new TreeMap<>();
		try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc", Long.toString(pid), "task"))) {
			for (Path task : tasks) {
				try {
					String stat = Files.readString(task.resolve("stat"), StandardCharsets.UTF_8);
					groups.merge(group(name(stat)), ticksToMicros(cpuTicks(stat)), Long::sum);
				}
				catch (IOException ex) {
					// the thread ended meanwhile
				}
			}
		}
		catch (IOException ex) {
			// the process is gone
		}
		return groups;
	}

	/**
	 * The group name of a thread: runs of digits become {@code #}.
	 * @param threadName the thread's name (at most 15 characters in {@code /proc})
	 * @return the group name
	 */
	static String group(String threadName) {
		return threadName.replaceAll("[0-9]+", "#");
	}

	/**
	 * The difference of two group snapshots, dropping groups with no CPU in between.
	 * @param before the first snapshot
	 * @param after the second
	 * @return microseconds per group
	 */
	static Map<String, Long> delta(Map<String, Long> before, Map<String, Long> after) {
		Map<String, Long> delta = new TreeMap<>();
		after.forEach((group, micros) -> {
			long used = micros - before.getOrDefault(group, 0L);
			if (used > 0) {
				delta.put(group, used);
			}
		});
		return delta;
	}

}
