package dev.gatehouse.demo.risk;

import java.util.Objects;

/**
 * One portfolio position: a ticker symbol (upper case) and its weight, a fraction of the
 * portfolio's value.
 *
 * @param symbol the ticker, upper case, not blank
 * @param weight the fraction of the portfolio, {@code 0..1}
 */
record Holding(String symbol, double weight) {

	Holding {
		Objects.requireNonNull(symbol, "symbol must not be null");
		if (symbol.isBlank()) {
			throw new IllegalArgumentException("symbol must not be blank");
		}
		if (!(weight >= 0.0 && weight <= 1.0)) {
			throw new IllegalArgumentException("weight must be between 0 and 1 but was " + weight);
		}
	}

}
