package dev.gatehouse.demo.risk;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The figures of {@link PortfolioRiskModel}, unrounded. {@link #toStructuredContent()}
 * rounds them for the wire: fractions to 4 decimal places, amounts to 2 (half-even).
 *
 * @param holdings the number of positions
 * @param annualVolatility σ_p
 * @param dailyVolatility σ_p / √252
 * @param valueAtRisk95OneDay one-day 95 % VaR as a fraction of the portfolio value
 * @param expectedShortfall95OneDay one-day 95 % expected shortfall as a fraction
 * @param portfolioValue the portfolio value the caller gave
 * @param valueAtRisk95OneDayAmount VaR times portfolio value
 * @param diversificationRatio Σ w_i σ_i / σ_p
 * @param largestPosition the holding with the largest weight (the first one on ties)
 * @param riskLevel LOW, MODERATE, HIGH or VERY_HIGH
 */
record RiskReport(int holdings, double annualVolatility, double dailyVolatility, double valueAtRisk95OneDay,
		double expectedShortfall95OneDay, double portfolioValue, double valueAtRisk95OneDayAmount,
		double diversificationRatio, Holding largestPosition, String riskLevel) {

	static final String MODEL_DESCRIPTION = "Parametric normal, zero mean; constant pairwise correlation 0.30; "
			+ "252 trading days; illustrative fixed volatilities, not market data";

	Map<String, Object> toStructuredContent() {
		Map<String, Object> largest = new LinkedHashMap<>();
		largest.put("symbol", this.largestPosition.symbol());
		largest.put("weight", this.largestPosition.weight());
		Map<String, Object> content = new LinkedHashMap<>();
		content.put("holdings", this.holdings);
		content.put("annualVolatility", round(this.annualVolatility, 4));
		content.put("dailyVolatility", round(this.dailyVolatility, 4));
		content.put("valueAtRisk95OneDay", round(this.valueAtRisk95OneDay, 4));
		content.put("expectedShortfall95OneDay", round(this.expectedShortfall95OneDay, 4));
		content.put("portfolioValue", this.portfolioValue);
		content.put("valueAtRisk95OneDayAmount", round(this.valueAtRisk95OneDayAmount, 2));
		content.put("diversificationRatio", round(this.diversificationRatio, 4));
		content.put("largestPosition", largest);
		content.put("riskLevel", this.riskLevel);
		content.put("model", MODEL_DESCRIPTION);
		return content;
	}

	private static double round(double value, int places) {
		return BigDecimal.valueOf(value).setScale(places, RoundingMode.HALF_EVEN).doubleValue();
	}

}
