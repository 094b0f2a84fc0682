package dev.gatehouse.demo.risk;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A deliberately simple, deterministic portfolio risk model.
 *
 * <p>
 * With annual volatilities {@code σ_i} from a fixed table, weights {@code w_i} and one
 * constant pairwise correlation {@code ρ = 0.30}:
 *
 * <pre>
 * σ_p²      = Σ_i Σ_j w_i w_j σ_i σ_j ρ_ij      (ρ_ii = 1, ρ_ij = ρ for i ≠ j)   annual portfolio volatility σ_p
 * σ_day     = σ_p / √252                                                     one trading day
 * VaR95     = 1.6449 · σ_day                    parametric, zero-mean normal; fraction of portfolio value
 * ES95      = 2.0627 · σ_day                    φ(1.6449) / 0.05, expected loss beyond VaR95
 * DR        = Σ_i w_i σ_i / σ_p                 diversification ratio (1 when σ_p = 0)
 * risk level: σ_p &lt; 0.10 LOW, &lt; 0.20 MODERATE, &lt; 0.30 HIGH, else VERY_HIGH
 * </pre>
 *
 * <p>
 * Weights must sum to 1 within ±0.01, symbols must be in the table and appear once.
 * Thread-safe (stateless).
 */
final class PortfolioRiskModel {

	static final double CORRELATION = 0.30;

	static final int TRADING_DAYS = 252;

	/** Φ⁻¹(0.95). */
	static final double Z_95 = 1.6448536269514722;

	/** φ(Φ⁻¹(0.95)) / 0.05. */
	static final double EXPECTED_SHORTFALL_95_FACTOR = 2.0627128075074257;

	static final double WEIGHT_TOLERANCE = 0.01;

	/** Illustrative annualized volatilities; not market data. */
	static final Map<String, Double> ANNUAL_VOLATILITY = Collections
		.unmodifiableMap(new TreeMap<>(Map.ofEntries(Map.entry("AAPL", 0.28), Map.entry("AMZN", 0.33),
				Map.entry("BND", 0.06), Map.entry("CASH", 0.0), Map.entry("GLD", 0.14), Map.entry("GOOGL", 0.30),
				Map.entry("JNJ", 0.16), Map.entry("JPM", 0.24), Map.entry("KO", 0.14), Map.entry("META", 0.38),
				Map.entry("MSFT", 0.26), Map.entry("NVDA", 0.52), Map.entry("PG", 0.15), Map.entry("QQQ", 0.22),
				Map.entry("SPY", 0.17), Map.entry("TLT", 0.15), Map.entry("TSLA", 0.60), Map.entry("XOM", 0.27))));

	private PortfolioRiskModel() {
	}

	/**
	 * Computes the risk figures.
	 * @param holdings the positions, not empty
	 * @param portfolioValue the portfolio's value in any currency, positive; scales the
	 * VaR amount only
	 * @return the report
	 * @throws RejectedRequestException if a symbol is unknown or repeated, or the weights
	 * do not sum to 1
	 */
	static RiskReport analyze(List<Holding> holdings, double portfolioValue) {
		List<Double> volatilities = volatilities(holdings);
		checkWeights(holdings);
		double variance = 0.0;
		double weightedVolatility = 0.0;
		for (int i = 0; i < holdings.size(); i++) {
			double wi = holdings.get(i).weight() * volatilities.get(i);
			weightedVolatility += wi;
			for (int j = 0; j < holdings.size(); j++) {
				double wj = holdings.get(j).weight() * volatilities.get(j);
				variance += wi * wj * ((i == j) ? 1.0 : CORRELATION);
			}
		}
		double annual = Math.sqrt(variance);
		double daily = annual / Math.sqrt(TRADING_DAYS);
		double valueAtRisk = Z_95 * daily;
		Holding largest = holdings.stream().max(Comparator.comparingDouble(Holding::weight)).orElseThrow();
		return new RiskReport(holdings.size(), annual, daily, valueAtRisk, EXPECTED_SHORTFALL_95_FACTOR * daily,
				portfolioValue, valueAtRisk * portfolioValue, (annual > 0.0) ? weightedVolatility / annual : 1.0,
				largest, riskLevel(annual));
	}

	private static List<Double> volatilities(List<Holding> holdings) {
		List<String> unknown = new ArrayList<>();
		Set<String> seen = new HashSet<>();
		List<Double> volatilities = new ArrayList<>();
		for (Holding holding : holdings) {
			if (!seen.add(holding.symbol())) {
				throw new RejectedRequestException("Symbol " + holding.symbol()
						+ " appears more than once; combine its weights into one holding.");
			}
			Double volatility = ANNUAL_VOLATILITY.get(holding.symbol());
			if (volatility == null) {
				unknown.add(holding.symbol());
			}
			volatilities.add(volatility);
		}
		if (!unknown.isEmpty()) {
			throw new RejectedRequestException("Unknown symbol(s): " + String.join(", ", unknown) + ". Known symbols: "
					+ String.join(", ", ANNUAL_VOLATILITY.keySet()) + ".");
		}
		return volatilities;
	}

	private static void checkWeights(List<Holding> holdings) {
		double sum = holdings.stream().mapToDouble(Holding::weight).sum();
		if (Math.abs(sum - 1.0) > WEIGHT_TOLERANCE) {
			throw new RejectedRequestException(String.format(Locale.ROOT,
					"Weights sum to %.4f but must sum to 1 (within ±%.2f).", sum, WEIGHT_TOLERANCE));
		}
	}

	static String riskLevel(double annualVolatility) {
		if (annualVolatility < 0.10) {
			return "LOW";
		}
		if (annualVolatility < 0.20) {
			return "MODERATE";
		}
		return (annualVolatility < 0.30) ? "HIGH" : "VERY_HIGH";
	}

}
