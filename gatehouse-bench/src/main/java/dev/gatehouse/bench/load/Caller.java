package dev.gatehouse.bench.load;

import java.io.Closeable;
import java.io.IOException;

/**
 * One connection's worth of load: makes one call at a time.
 */
interface Caller extends Closeable {

	/**
	 * Makes one call.
	 * @return whether it succeeded
	 * @throws IOException if the connection failed (the next call reconnects)
	 */
	boolean call() throws IOException;

	/**
	 * Describes the last answer, for error messages.
	 * @return a short text
	 */
	String lastBody();

	@Override
	void close();

}
