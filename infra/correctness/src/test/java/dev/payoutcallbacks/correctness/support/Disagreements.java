package dev.payoutcallbacks.correctness.support;

import dev.payoutcallbacks.core.payout.Money;
import dev.payoutcallbacks.core.payout.PayoutStatus;
import dev.payoutcallbacks.core.payout.Registration;
import dev.payoutcallbacks.core.testing.ProviderFixture;
import dev.payoutcallbacks.core.testing.ProviderFixture.Adjustments;
import dev.payoutcallbacks.core.testing.ProviderFixtures;
import dev.payoutcallbacks.core.testing.SentOutcome;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Predicate;

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
 * each provider's wire format, written by its fixture ({@link ProviderFixture}). The Calypso family is about Calypso's
 * documented ids and keeps its own bodies; the order-key family is the canonical route's.
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
    /** Family 4 is about Calypso's own ids (externalId, parentExternalId). */
    private static final String CALYPSO = "calypso";

    private final Random random;
    /** The spellings the fixtures pick among, apart from the scenarios' draws. */
    private final Random forms;
    private int counter;

    public Disagreements(long seed) {
        this.random = new Random(seed);
        this.forms = new Random(~seed);
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

    /** The success with its amount, and the same success with other amounts (and, where it names it, another currency). */
    private Scenario money(String ref) {
        ProviderFixture provider = pick(ProviderFixture::carriesAmount);
        Money amount = provider.amount(random);
        List<Content> contents = new ArrayList<>();
        contents.add(new Content("paid", provider.provider(), copies(success(provider, ref, amount, "pp-" + ref,
                "bank-" + ref)), "APPLIED", null));
        int wrong = 1 + random.nextInt(3);
        for (int i = 1; i <= wrong; i++) {
            Money other = new Money(amount.amount().add(BigDecimal.valueOf(i * (1 + random.nextInt(500)))), amount.currency());
            contents.add(new Content("paid-other-" + i, provider.provider(), copies(success(provider, ref, other, "pp-" + ref,
                    "bank-" + ref)), "CONFLICT", "amount_mismatch"));
        }
        if (provider.canonical()) {
            Money otherCurrency = new Money(amount.amount(), amount.currency().equals("USD") ? "EUR" : "USD");
            contents.add(new Content("paid-other-currency", provider.provider(), copies(success(provider, ref, otherCurrency,
                    null, null)), "CONFLICT", "currency_mismatch"));
            wrong++;
        }
        return new Scenario(Family.MONEY, ref, registration(ref, provider, amount, null, "pp-" + ref), List.of(), contents,
                PayoutStatus.PAID, amount.amountText(), "pp-" + ref, bankOf(provider, ref), wrong,
                null, null);
    }

    /** Canonical callbacks naming the payout by reference and, as reconciler copies do, by its order key only. */
    private Scenario orderKeyOnly(String ref) {
        ProviderFixture canonical = ProviderFixtures.canonical();
        Money amount = canonical.amount(random);
        String key = "order-" + ref;
        List<Content> contents = new ArrayList<>();
        List<String> paid = new ArrayList<>(copies(canonicalPaid(canonical, ref, null, amount)));
        paid.addAll(copies(canonicalPaid(canonical, null, key, amount)));
        paid.addAll(copies(canonicalPaid(canonical, ref, key, amount)));
        contents.add(new Content("paid", canonical.provider(), paid, "APPLIED", null));
        contents.add(new Content("paid-other-amount-by-order-key", canonical.provider(), copies(canonicalPaid(canonical, null, key,
                new Money(amount.amount().add(BigDecimal.ONE), amount.currency()))), "CONFLICT", "amount_mismatch"));
        return new Scenario(Family.ORDER_KEY_ONLY, ref, registration(ref, canonical, amount, key, null), List.of(), contents,
                PayoutStatus.PAID, amount.amountText(), null, null, 1,
                canonicalPaid(canonical, null, "order-never-registered-" + ref, amount), canonical.provider());
    }

    /** The success from the registered provider payout, and a success from another one for the same reference. */
    private Scenario secondProviderPayout(String ref) {
        ProviderFixture provider = pick(f -> f.carriesAmount() && f.saysProviderPayoutId());
        Money amount = provider.amount(random);
        List<Content> contents = new ArrayList<>();
        contents.add(new Content("paid", provider.provider(), copies(success(provider, ref, amount, "pp-" + ref,
                "bank-" + ref)), "APPLIED", null));
        contents.add(new Content("paid-by-another-payout", provider.provider(), copies(success(provider, ref, amount,
                "pp2-" + ref, "bank2-" + ref)), "CONFLICT", "duplicate_provider_payout"));
        return new Scenario(Family.SECOND_PROVIDER_PAYOUT, ref, registration(ref, provider, amount, null, "pp-" + ref),
                List.of(), contents, PayoutStatus.PAID, amount.amountText(), "pp-" + ref, bankOf(provider, ref), 1, null, null);
    }

    /** One Calypso payout whose events name it by externalId in some and only by parentExternalId in others. */
    private Scenario calypso(String ref) {
        Money amount = Money.parse((1 + random.nextInt(999)) + ".123456789012345678", "USDT_TRX");
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
                new Registration(ref, CALYPSO, amount, null, Long.toString(calypsoId), SUBMITTED), List.of(), contents,
                PayoutStatus.PAID, amount.amountText(), Long.toString(calypsoId), hash, 0,
                calypsoBody("PAYOUT_CHANGE_STATUS", calypsoId + 500_000, null, "\"payoutStatus\":\"Completed\""), CALYPSO);
    }

    /** A payout paid and fully refunded, then many refunds beyond it at once, each delivered several times. */
    private Scenario hotExcessRefunds(String ref) {
        ProviderFixture provider = pick(f -> f.adjustments() != Adjustments.REVERSAL);
        Money amount = Money.parse("60.00", provider.currency());
        List<Content> setup = List.of(
                new Content("paid", provider.provider(), List.of(success(provider, ref, amount, "pp-" + ref, "bank-" + ref)),
                        "APPLIED", null),
                new Content("full-refund", provider.provider(), List.of(refund(provider, ref, amount, Money.parse("60.00",
                        amount.currency()), "full-" + ref)), "APPLIED", null));
        List<Content> contents = new ArrayList<>();
        int excess = 20;
        for (int i = 0; i < excess; i++) {
            Money piece = new Money(new BigDecimal("1.00").add(BigDecimal.valueOf(random.nextInt(300), 2)), amount.currency());
            List<String> bodies = new ArrayList<>();
            for (int c = 0, n = 2 + random.nextInt(2); c < n; c++) {
                bodies.add(refund(provider, ref, amount, piece, "x-" + i + "-" + ref));
            }
            contents.add(new Content("excess-" + i, provider.provider(), bodies, "CONFLICT", "refund_exceeds_paid"));
        }
        return new Scenario(Family.HOT_EXCESS_REFUNDS, ref, registration(ref, provider, amount, null, null), setup,
                contents, PayoutStatus.REFUNDED, amount.amountText(), provider.saysProviderPayoutId() ? "pp-" + ref : null,
                bankOf(provider, ref), excess, null, null);
    }

    // ---- bodies, in each provider's wire format --------------------------------------------------------

    /** One of the providers (template order) that can say what a family needs. */
    private ProviderFixture pick(Predicate<ProviderFixture> says) {
        List<ProviderFixture> able = ProviderFixtures.all().stream().filter(says).toList();
        return able.get(random.nextInt(able.size()));
    }

    private Registration registration(String ref, ProviderFixture provider, Money amount, String orderKey, String payoutId) {
        return new Registration(ref, provider.provider(), amount, orderKey, payoutId, SUBMITTED);
    }

    /** The bank reference a provider's success carries (where its format has one). */
    private static String bankOf(ProviderFixture provider, String ref) {
        return provider.saysBankReference() ? "bank-" + ref : null;
    }

    private String success(ProviderFixture provider, String ref, Money amount, String payoutId, String bank) {
        return provider.body(SentOutcome.of(ref, PayoutStatus.PAID).amount(amount).providerPayoutId(payoutId)
                .bankReference(bank).build(), forms);
    }

    /** A refund as the provider words it: partial, whatever the arithmetic says. */
    private String refund(ProviderFixture provider, String ref, Money paid, Money refund, String refundId) {
        return provider.body(SentOutcome.of(ref, PayoutStatus.PARTIALLY_REFUNDED)
                .amount(provider.refundsCarryPaidAmount() ? paid : null).adjustment(refund).adjustmentId(refundId)
                .providerPayoutId("pp-" + ref).build(), forms);
    }

    /** A canonical success naming the payout by reference, order key or both. */
    private String canonicalPaid(ProviderFixture canonical, String ref, String orderKey, Money amount) {
        return canonical.body(SentOutcome.of(ref, PayoutStatus.PAID).orderKey(orderKey).amount(amount).build(), forms);
    }

    static String calypsoBody(String type, long calypsoId, String externalId, String extra) {
        return "{\"type\":\"" + type + "\",\"parentExternalId\":" + calypsoId + ",\"createdDate\":\"2026-11-20T09:15:02.118204\","
                + "\"idempotencyKey\":\"idem-" + calypsoId + "\",\"currency\":\"USDT_TRX\""
                + (externalId == null ? "" : ",\"externalId\":\"" + externalId + "\"")
                + (extra == null ? "" : "," + extra) + "}";
    }
}
