package dev.gatehouse.server.mcp;

import dev.gatehouse.server.config.GatehouseProperties;
import jakarta.servlet.DispatcherType;

import org.springframework.boot.security.autoconfigure.web.servlet.SecurityFilterProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Registers {@link HostCheckFilter} just before the security filters, so a refused Host reaches none of them. */
@Configuration(proxyBeanMethods = false)
class HostCheckConfiguration {

	@Bean
	FilterRegistrationBean<HostCheckFilter> hostCheckFilter(GatehouseProperties properties) {
		FilterRegistrationBean<HostCheckFilter> registration = new FilterRegistrationBean<>(
				new HostCheckFilter(new OriginGuard(properties)));
		registration.setOrder(SecurityFilterProperties.DEFAULT_FILTER_ORDER - 10);
		registration.setDispatcherTypes(DispatcherType.REQUEST);
		return registration;
	}
}
