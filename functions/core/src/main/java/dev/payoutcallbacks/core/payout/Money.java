package dev.payoutcallbacks.core.payout;

import java.math.BigDecimal;
import java.util.Objects;
import java.util.regex.Pattern;

/** An exact amount with its currency. Never a double. */
public record Money(BigDecimal amount, String currency) {

    /** Plain decimal: no sign, no exponent, no thousands separators. */
    private static final Pattern DECIMAL = Pattern.compile("\\d{1,30}(\\.\\d{1,18})?");
    /** ISO 4217 codes and crypto tickers such as USDT_TRX. */
    private static final Pattern CURRENCY = Pattern.compile("[A-Z][A-Z0-9_]{2,19}");

    public Money {
        Objects.requireNonNull(amount, "amount");
        Objects.requireNonNull(currency, "currency");
        if (amount.signum() < 0) {
            throw new IllegalArgumentException("amount must not be negative");
        }
        if (!CURRENCY.matcher(currency).matches()) {
            throw new IllegalArgumentException("currency must be a code such as IDR or USDT_TRX");
        }
    }

    /**
     * Parses a plain decimal string such as "100000" or "12.50".
     *
     * @throws IllegalArgumentException with a message safe to return to the sender
     */
    public static Money parse(String amount, String currency) {
        if (amount == null || !DECIMAL.matcher(amount).matches()) {
            throw new IllegalArgumentException("amount must be a plain positive decimal such as \"12.50\"");
        }
        return positive(new Money(new BigDecimal(amount), currency));
    }

    /** Integer minor units (cents) to an exact amount with the given number of decimals. */
    public static Money ofMinorUnits(String minorUnits, int scale, String currency) {
        if (minorUnits == null || !minorUnits.matches("\\d{1,30}")) {
            throw new IllegalArgumentException("amount must be a whole number of minor units");
        }
        return positive(new Money(new BigDecimal(minorUnits).movePointLeft(scale), currency));
    }

    /** A payout, refund or reversal of nothing is not a money movement: refuse it at the edge. */
    private static Money positive(Money money) {
        if (money.amount().signum() == 0) {
            throw new IllegalArgumentException("amount must be greater than zero");
        }
        return money;
    }

    /** Same value and currency, whatever the scale ("10" equals "10.00"). */
    public boolean sameAs(Money other) {
        return other != null && currency.equals(other.currency) && amount.compareTo(other.amount) == 0;
    }

    public String amountText() {
        return amount.toPlainString();
    }

    @Override
    public String toString() {
        return amountText() + " " + currency;
    }
}
