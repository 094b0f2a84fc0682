package dev.gatehouse.demo.host;

import java.beans.PropertyChangeListener;
import java.util.Objects;

import org.apache.catalina.Context;
import org.apache.catalina.Loader;
import org.jspecify.annotations.Nullable;

/**
 * A Tomcat {@link Loader} that hands out the application's own class loader instead of a
 * per-context {@code WebappClassLoader}.
 *
 * <p>
 * Why: request threads run with the context's loader as their context class loader, and
 * Reactor threads that the SDK starts from them (the shared {@code boundedElastic}
 * workers) inherit it. With a {@code WebappClassLoader}, those long-lived, JVM-wide
 * threads would keep a reference to a loader that is stopped when the host closes; any
 * later {@code ServiceLoader} lookup on them would fail with "this web application
 * instance has been stopped already", and Tomcat logs a thread-leak warning per host. The
 * demo servers have no web application to isolate, so the application loader is the right
 * one.
 */
final class ApplicationLoader implements Loader {

	private final ClassLoader classLoader;

	private @Nullable Context context;

	ApplicationLoader(ClassLoader classLoader) {
		this.classLoader = Objects.requireNonNull(classLoader, "classLoader must not be null");
	}

	@Override
	public void backgroundProcess() {
	}

	@Override
	public ClassLoader getClassLoader() {
		return this.classLoader;
	}

	@Override
	public @Nullable Context getContext() {
		return this.context;
	}

	@Override
	public void setContext(@Nullable Context context) {
		this.context = context;
	}

	@Override
	public boolean getDelegate() {
		return true;
	}

	@Override
	public void setDelegate(boolean delegate) {
	}

	@Override
	public void addPropertyChangeListener(PropertyChangeListener listener) {
	}

	@Override
	public boolean modified() {
		return false;
	}

	@Override
	public void removePropertyChangeListener(PropertyChangeListener listener) {
	}

}
