package dev.payoutcallbacks.correctness.support;

import static dev.payoutcallbacks.correctness.support.Providers.CALYPSO;
import static dev.payoutcallbacks.correctness.support.Providers.COMMPIX;
import static dev.payoutcallbacks.correctness.support.Providers.M2MONEY;
import static dev.payoutcallbacks.correctness.support.Providers.PIVOT;
import static dev.payoutcallbacks.correctness.support.Providers.SLATE;

import dev.payoutcallbacks.core.payout.Money;
import dev.payoutcallbacks.core.payout.PayoutStatus;
import dev.payoutcallbacks.core.payout.Registration;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Seeded generator of the histories issue 12 is about, each with what it must end in whatever the
 * delivery order: money disagreements (the same status with other money), copies naming only the order
 * key, second provider payouts for one reference, Calypso events without externalId, and hot mixes of
 * refunds beyond a fully refunded payout. Every payout is registered first (amount, currency, provider,
 * order key, provider payout id), so the known values do not depend on which callback came first and the
 * expectations are order-free: per distinct content exactly one answer with an effect, of the expected
 * result, and a final state the test states in advance.
 *
 * <p>Written from the providers' documentation and the issue, not from the ledger's code: the bodies are
 * each provider's wire format.
 */
public final class Disagreements {

    public enum Family { MONEY, ORDER_KEY_ONLY, SECOND_PROVIDER_PAYOUT, CALYPSO_WITHOUT_EXTERNAL_ID, HOT_EXCESS_REFUNDS }

    /**
     * One distinct thing said about the payout, the HTTP bodies it arrives as, and the one effect it must
     * get (APPLIED, STALE, CONFLICT, or "APPLIED|STALE" when the order decides which) with its anomaly code.
     */
    public record Content(String id, String provider, List<String> bodies, String expected, String anomaly) {
    }

    /** A generated history: its registration, its contents and the final state it must reach. */
    public record Scenario(Family family, String reference, Registration registration, List<Content> setup,
                           List<Content> contents, PayoutStatus finalStatus, String finalAmount, String finalProviderPayoutId,
                           String finalBankReference, long finalAnomalies, String refusedBody, String refusedProvider) {
    }

    private static final Instant SUBMITTED = Instant.parse("2026-11-21T07:00:00Z");

    private final Random random;
    private int counter;

    public Disagreements(long seed) {
        this.random = new Random(seed);
    }

    public Scenario next(String run, Family family) {
        String ref = family.name().toLowerCase().replace('_', '-') + "-" + run + "-" + (++counter);
        return switch (family) {
            case MONEY -> money(ref);
            case ORDER_KEY_ONLY -> orderKeyOnly(ref);
            case SECOND_PROVIDER_PAYOUT -> secondProviderPayout(ref);
            case CALYPSO_WITHOUT_EXTERNAL_ID -> calypso(ref);
            case HOT_EXCESS_REFUNDS -> hotExcessRefunds(ref);
        };
    }

    private List<String> copies(String body) {
        List<String> out = new ArrayList<>();
        for (int i = 0, n = 1 + random.nextInt(3); i < n; i++) {
            out.add(body);
        }
        return out;
    }

    // ---- families -------------------------------------------------------------------------------------

    /** The success with its amount, and the same success with other amounts (and, for Slate, another currency). */
    private Scenario money(String ref) {
        String provider = List.of(SLATE, PIVOT, M2MONEY, COMMPIX).get(random.nextInt(4));
        Money amount = amount(provider);
        List<Content> contents = new ArrayList<>();
        contents.add(new Content("paid", provider, copies(success(provider, ref, amount, "pp-" + ref, "bank-" + ref)),
                "APPLIED", null));
        int wrong = 1 + random.nextInt(3);
        for (int i = 1; i <= wrong; i++) {
            Money other = new Money(amount.amount().add(BigDecimal.valueOf(i * (1 + random.nextInt(500)))), amount.currency());
            contents.add(new Content("paid-other-" + i, provider, copies(success(provider, ref, other, "pp-" + ref,
                    "bank-" + ref)), "CONFLICT", "amount_mismatch"));
        }
        if (provider.equals(SLATE)) {
            Money otherCurrency = new Money(amount.amount(), amount.currency().equals("USD") ? "EUR" : "USD");
            contents.add(new Content("paid-other-currency", SLATE, copies(success(SLATE, ref, otherCurrency, null, null)),
                    "CONFLICT", "currency_mismatch"));
            wrong++;
        }
        return new Scenario(Family.MONEY, ref, registration(ref, provider, amount, null, "pp-" + ref), List.of(), contents,
                PayoutStatus.PAID, amount.amountText(), "pp-" + ref, bankOf(provider, ref), wrong,
                null, null);
    }

    /** Slate callbacks naming the payout by reference and, as reconciler copies do, by its order key only. */
    private Scenario orderKeyOnly(String ref) {
        Money amount = amount(SLATE);
        String key = "order-" + ref;
        List<Content> contents = new ArrayList<>();
        List<String> paid = new ArrayList<>(copies(slate(ref, null, "paid", amount)));
        paid.addAll(copies(slate(null, key, "paid", amount)));
        paid.addAll(copies(slate(ref, key, "paid", amount)));
        contents.add(new Content("paid", SLATE, paid, "APPLIED", null));
        contents.add(new Content("paid-other-amount-by-order-key", SLATE, copies(slate(null, key, "paid",
                new Money(amount.amount().add(BigDecimal.ONE), amount.currency()))), "CONFLICT", "amount_mismatch"));
        return new Scenario(Family.ORDER_KEY_ONLY, ref, registration(ref, SLATE, amount, key, null), List.of(), contents,
                PayoutStatus.PAID, amount.amountText(), null, null, 1,
                slate(null, "order-never-registered-" + ref, "paid", amount), SLATE);
    }

    /** The success from the registered provider payout, and a success from another one for the same reference. */
    private Scenario secondProviderPayout(String ref) {
        String provider = List.of(PIVOT, M2MONEY, COMMPIX).get(random.nextInt(3));
        Money amount = amount(provider);
        List<Content> contents = new ArrayList<>();
        contents.add(new Content("paid", provider, copies(success(provider, ref, amount, "pp-" + ref, "bank-" + ref)),
                "APPLIED", null));
        contents.add(new Content("paid-by-another-payout", provider, copies(success(provider, ref, amount, "pp2-" + ref,
                "bank2-" + ref)), "CONFLICT", "duplicate_provider_payout"));
        return new Scenario(Family.SECOND_PROVIDER_PAYOUT, ref, registration(ref, provider, amount, null, "pp-" + ref),
                List.of(), contents, PayoutStatus.PAID, amount.amountText(), "pp-" + ref, bankOf(provider, ref), 1, null, null);
    }

    /** One Calypso payout whose events name it by externalId in some and only by parentExternalId in others. */
    private Scenario calypso(String ref) {
        Money amount = amount(CALYPSO);
        long calypsoId = 9_000_000L + (++counter);
        String hash = "0x" + Long.toHexString(random.nextLong());
        List<Content> contents = new ArrayList<>();
        boolean withExternalId = random.nextBoolean();
        contents.add(new Content("in-progress", CALYPSO, copies(calypsoBody("PAYOUT_CHANGE_STATUS", calypsoId,
                withExternalId ? ref : null, "\"payoutStatus\":\"In Progress\"")), "APPLIED|STALE", null));
        contents.add(new Content("completed", CALYPSO, copies(calypsoBody("PAYOUT_CHANGE_STATUS", calypsoId,
                withExternalId ? null : ref, "\"payoutStatus\":\"Completed\"")), "APPLIED", null));
        contents.add(new Content("hash", CALYPSO, copies(calypsoBody("PAYOUT_HASH_RECEIVED", calypsoId, null,
                "\"hash\":\"" + hash + "\",\"payoutStatus\":\"In Progress\"")), "APPLIED|STALE", null));
        contents.add(new Content("confirmed", CALYPSO, copies(calypsoBody("PAYOUT_CONFIRMED", calypsoId, null, null)),
                "APPLIED|STALE", null));
        return new Scenario(Family.CALYPSO_WITHOUT_EXTERNAL_ID, ref,
                registration(ref, CALYPSO, amount, null, Long.toString(calypsoId)), List.of(), contents, PayoutStatus.PAID,
                amount.amountText(), Long.toString(calypsoId), hash, 0,
                calypsoBody("PAYOUT_CHANGE_STATUS", calypsoId + 500_000, null, "\"payoutStatus\":\"Completed\""), CALYPSO);
    }

    /** A payout paid and fully refunded, then many refunds beyond it at once, each delivered several times. */
    private Scenario hotExcessRefunds(String ref) {
        String provider = random.nextBoolean() ? COMMPIX : SLATE;
        Money amount = provider.equals(COMMPIX) ? Money.parse("60.00", "BRL") : Money.parse("60.00", "USD");
        List<Content> setup = List.of(
                new Content("paid", provider, List.of(success(provider, ref, amount, "pp-" + ref, "bank-" + ref)), "APPLIED", null),
                new Content("full-refund", provider, List.of(refund(provider, ref, amount, Money.parse("60.00",
                        amount.currency()), "full-" + ref)), "APPLIED", null));
        List<Content> contents = new ArrayList<>();
        int excess = 20;
        for (int i = 0; i < excess; i++) {
            Money piece = new Money(new BigDecimal("1.00").add(BigDecimal.valueOf(random.nextInt(300), 2)), amount.currency());
            List<String> bodies = new ArrayList<>();
            for (int c = 0, n = 2 + random.nextInt(2); c < n; c++) {
                bodies.add(refund(provider, ref, amount, piece, "x-" + i + "-" + ref));
            }
            contents.add(new Content("excess-" + i, provider, bodies, "CONFLICT", "refund_exceeds_paid"));
        }
        return new Scenario(Family.HOT_EXCESS_REFUNDS, ref, registration(ref, provider, amount, null, null), setup,
                contents, PayoutStatus.REFUNDED, amount.amountText(), provider.equals(COMMPIX) ? "pp-" + ref : null,
                bankOf(provider, ref), excess, null, null);
    }

    // ---- bodies, in each provider's wire format --------------------------------------------------------

    private Registration registration(String ref, String provider, Money amount, String orderKey, String payoutId) {
        return new Registration(ref, provider, amount, orderKey, payoutId, SUBMITTED);
    }

    /** The bank reference a provider's success carries (Pivot's and Slate's carry none here). */
    private static String bankOf(String provider, String ref) {
        return provider.equals(M2MONEY) || provider.equals(COMMPIX) ? "bank-" + ref : null;
    }

    private Money amount(String provider) {
        return switch (provider) {
            case PIVOT -> new Money(BigDecimal.valueOf(10_000 + random.nextInt(5_000_000)), "IDR");
            case CALYPSO -> Money.parse((1 + random.nextInt(999)) + ".123456789012345678", "USDT_TRX");
            case M2MONEY -> new Money(BigDecimal.valueOf(100 + random.nextInt(500_000), 2), "INR");
            case COMMPIX -> new Money(BigDecimal.valueOf(100 + random.nextInt(200_000), 2), "BRL");
            default -> new Money(BigDecimal.valueOf(100 + random.nextInt(999_900), 2), random.nextBoolean() ? "USD" : "EUR");
        };
    }

    static String success(String provider, String ref, Money amount, String payoutId, String bank) {
        return switch (provider) {
            case PIVOT -> "{\"event\":\"PAYOUT.SUCCESS\",\"data\":{\"uuid\":\"" + payoutId + "\",\"merchantId\":\"m-1\","
                    + "\"payouts\":{\"referenceId\":\"" + ref + "\",\"amount\":{\"currency\":\"IDR\",\"value\":\""
                    + amount.amountText() + "\"},\"status\":\"SUCCESS\",\"reason\":null}}}";
            case M2MONEY -> "{\"event\":\"payout.transfer.success\",\"code\":\"0x0200\",\"message\":\"Transaction Successful\","
                    + "\"data\":{\"orderRefId\":\"" + payoutId + "\",\"clientRefId\":\"" + ref + "\",\"amount\":\""
                    + amount.amount().setScale(2).toPlainString() + "\",\"status\":\"processed\",\"utr\":\"" + bank + "\"}}";
            case COMMPIX -> "{\"type\":\"PAYOUT_COMPLETED\",\"data\":{\"id\":\"" + payoutId + "\",\"externalId\":\"" + ref
                    + "\",\"type\":\"PIX\",\"amount\":" + cents(amount) + ",\"status\":\"COMPLETED\",\"transactionEndToEndId\":\""
                    + bank + "\"}}";
            default -> slate(ref, null, "paid", amount);
        };
    }

    static String refund(String provider, String ref, Money paid, Money refund, String refundId) {
        if (provider.equals(COMMPIX)) {
            return "{\"type\":\"PAYOUT_REFUNDED\",\"data\":{\"originalPayout\":{\"id\":\"pp-" + ref + "\",\"externalId\":\""
                    + ref + "\",\"amount\":" + cents(paid) + ",\"status\":\"COMPLETED\"},\"refundData\":{\"amount\":"
                    + cents(refund) + ",\"transactionId\":\"" + refundId + "\"}}}";
        }
        return "{\"payout_reference\":\"" + ref + "\",\"status\":\"partially_refunded\",\"adjustment_amount\":\""
                + refund.amountText() + "\",\"currency\":\"" + refund.currency() + "\",\"adjustment_id\":\"" + refundId + "\"}";
    }

    static String slate(String ref, String orderKey, String status, Money amount) {
        return "{" + (ref == null ? "" : "\"payout_reference\":\"" + ref + "\",")
                + (orderKey == null ? "" : "\"order_key\":\"" + orderKey + "\",")
                + "\"status\":\"" + status + "\",\"amount\":\"" + amount.amountText() + "\",\"currency\":\""
                + amount.currency() + "\"}";
    }

    static String calypsoBody(String type, long calypsoId, String externalId, String extra) {
        return "{\"type\":\"" + type + "\",\"parentExternalId\":" + calypsoId + ",\"createdDate\":\"2026-11-20T09:15:02.118204\","
                + "\"idempotencyKey\":\"idem-" + calypsoId + "\",\"currency\":\"USDT_TRX\""
                + (externalId == null ? "" : ",\"externalId\":\"" + externalId + "\"")
                + (extra == null ? "" : "," + extra) + "}";
    }

    private static long cents(Money m) {
        return m.amount().movePointRight(2).longValueExact();
    }
}
