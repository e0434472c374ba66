package dev.payoutcallbacks.correctness.support;

import dev.payoutcallbacks.core.payout.Money;
import dev.payoutcallbacks.core.payout.PayoutStatus;
import dev.payoutcallbacks.core.testing.ProviderFixture;
import dev.payoutcallbacks.core.testing.ProviderFixture.Adjustments;
import dev.payoutcallbacks.core.testing.ProviderFixtures;
import dev.payoutcallbacks.core.testing.SentOutcome;
import dev.payoutcallbacks.correctness.support.ReferenceModel.Amount;
import dev.payoutcallbacks.correctness.support.ReferenceModel.Event;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Seeded generator of payout histories: what providers say about a payout over its life (open stages,
 * submit_not_received, a success or a failure, reversals, partial and full refunds) plus the disorder of
 * the real world (contradicting outcomes, wrong amounts, refunds beyond the paid amount, refunds of failed
 * payouts, adjustments before the success they follow). Each distinct outcome is expressed as one or more
 * HTTP deliveries: the provider's own webhook and, at times, a copy of the same outcome through the canonical
 * route as a reconciler poll (source=poll), which must dedupe against the webhook. What each provider can say and
 * its wire format are its fixture's ({@link ProviderFixture}).
 *
 * <p>Every delivery of one outcome carries the same content (status, stage, amounts, refund id): the dedup
 * identity of an outcome then names one content, so the model can replay the ledger's history.
 */
public final class Histories {
    /** One HTTP delivery route for an outcome: which handler, and the exact body it receives. */
    public record Route(String provider, String body) {
    }

    /** A distinct outcome and the routes it is delivered through. */
    public record Planned(Event event, List<Route> routes) {
    }

    public record Payout(String reference, String provider, String currency, Amount amount, List<Planned> outcomes,
                         boolean hot) {
        public Map<String, Event> byKey() {
            Map<String, Event> map = new LinkedHashMap<>();
            outcomes.forEach(p -> map.put(p.event().dedupKey(), p.event()));
            return map;
        }

        public List<Event> events() {
            return outcomes.stream().map(Planned::event).toList();
        }
    }

    /** One HTTP delivery (the provider retries it on 5xx). */
    public record Delivery(Payout payout, Event event, Route route) {
    }

    private final Random random;
    private int counter;

    public Histories(long seed) {
        this.random = new Random(seed);
    }

    public Random random() {
        return random;
    }

    /** A normal history for a payout of the given provider. */
    public Payout payout(String runId, String provider) {
        ProviderFixture f = Providers.fixture(provider);
        String reference = provider + "-" + runId + "-" + (++counter);
        Amount amount = amount(f.amount(random));
        List<Event> events = new ArrayList<>();
        // Open stages first (they are what a provider says before the end).
        for (String stage : pick(f.openStages(), random.nextInt(4))) {
            events.add(pending(reference, stage, f.openStagesCarryAmount() ? amount : null));
        }
        if (random.nextInt(5) == 0) {
            events.add(plain(reference, PayoutStatus.SUBMIT_NOT_RECEIVED, null));
        }
        if (!f.carriesAmount() && random.nextInt(3) == 0) {
            // The reconciler learnt the exact amount (Calypso's has 18 decimals) while the payout was open.
            events.add(pending(reference, "reconciler", amount));
        }
        int story = random.nextInt(20);
        boolean succeeded = false;
        boolean failed = false;
        if (story < 9) {                       // success
            events.add(success(reference, f, amount));
            succeeded = true;
        } else if (story < 13) {               // failure (sometimes both failed and cancelled: stale)
            events.add(failure(reference, f, amount));
            if (random.nextInt(4) == 0 && f.saysCancelled()) {
                Event other = plain(reference, events.get(events.size() - 1).status() == PayoutStatus.FAILED
                        ? PayoutStatus.CANCELLED : PayoutStatus.FAILED, f.carriesAmount() ? amount : null);
                events.add(other);
            }
            failed = true;
        } else if (story < 18) {               // success then adjustments
            events.add(success(reference, f, amount));
            succeeded = true;
            events.addAll(adjustments(reference, f, amount, random.nextInt(4) == 0));
        }                                      // else: still open
        // Disorder of the real world.
        if (random.nextInt(6) == 0 && succeeded || random.nextInt(12) == 0 && failed) {
            events.add(failed ? success(reference, f, amount) : plain(reference, PayoutStatus.FAILED,
                    f.carriesAmount() ? amount : null));
        }
        if (random.nextInt(10) == 0 && failed && f.adjustments() != Adjustments.REVERSAL) {
            events.addAll(adjustments(reference, f, amount, false).subList(0, 1)); // refund of a failed payout
        }
        if (random.nextInt(10) == 0 && f.wrongAmountStage() != null) {
            events.add(pending(reference, f.wrongAmountStage(), new Amount(amount.value().add(BigDecimal.ONE),
                    amount.currency())));
        }
        return new Payout(reference, provider, amount.currency(), amount, routes(f, unique(events)), false);
    }

    /** A hot payout: many outcomes, each delivered several times, meant to be delivered concurrently. */
    public Payout hot(String runId, String provider) {
        ProviderFixture f = Providers.fixture(provider);
        String reference = "hot-" + provider + "-" + runId + "-" + (++counter);
        Amount amount = amount(f.amount(random));
        List<Event> events = new ArrayList<>();
        for (String stage : f.openStages()) {
            events.add(pending(reference, stage, f.openStagesCarryAmount() ? amount : null));
        }
        events.add(plain(reference, PayoutStatus.SUBMIT_NOT_RECEIVED, null));
        events.add(success(reference, f, amount));
        events.addAll(adjustments(reference, f, amount, true));
        events.add(plain(reference, PayoutStatus.FAILED, f.carriesAmount() ? amount : null));
        if (f.saysCancelled()) {
            events.add(plain(reference, PayoutStatus.CANCELLED, f.carriesAmount() ? amount : null));
        }
        if (f.canonical()) {
            events.add(plain(reference, PayoutStatus.PARTIALLY_PAID, amount));
            events.add(new Event(reference, PayoutStatus.REVERSED, null, amount, amount, "rv-" + reference, null));
            events.add(pending(reference, f.wrongAmountStage(), new Amount(amount.value().add(BigDecimal.TEN),
                    amount.currency())));
            events.addAll(adjustments(reference, f, amount, true));
        }
        return new Payout(reference, provider, amount.currency(), amount, routes(f, unique(events)), true);
    }

    /** Every delivery of the payouts: each route once, some several times (provider retries, replays). */
    public List<Delivery> deliveries(Payout payout) {
        List<Delivery> out = new ArrayList<>();
        for (Planned planned : payout.outcomes()) {
            for (Route route : planned.routes()) {
                int copies = payout.hot() ? 3 + random.nextInt(2) : 1 + extraCopies();
                for (int i = 0; i < copies; i++) {
                    out.add(new Delivery(payout, planned.event(), route));
                }
            }
        }
        return out;
    }

    private int extraCopies() {
        int extra = 0;
        while (extra < 3 && random.nextInt(100) < 35) {
            extra++;
        }
        return extra;
    }

    // ---- outcomes ------------------------------------------------------------------------------------

    private Event plain(String reference, PayoutStatus status, Amount amount) {
        return new Event(reference, status, null, amount, null, null, null);
    }

    private Event pending(String reference, String stage, Amount amount) {
        return new Event(reference, PayoutStatus.PENDING, stage, amount, null, null, null);
    }

    private Event success(String reference, ProviderFixture f, Amount amount) {
        boolean partial = f.saysPartiallyPaid() && random.nextInt(6) == 0;
        return plain(reference, partial ? PayoutStatus.PARTIALLY_PAID : PayoutStatus.PAID,
                f.carriesAmount() ? amount : null);
    }

    private Event failure(String reference, ProviderFixture f, Amount amount) {
        boolean cancelled = f.saysCancelled() && random.nextInt(3) == 0;
        return plain(reference, cancelled ? PayoutStatus.CANCELLED : PayoutStatus.FAILED,
                f.carriesAmount() ? amount : null);
    }

    /** Refunds or a reversal, as the provider adjusts; {@code overshoot}: refunds beyond the paid amount. */
    private List<Event> adjustments(String reference, ProviderFixture f, Amount paid, boolean overshoot) {
        List<Event> out = new ArrayList<>();
        boolean reversal = f.adjustments() == Adjustments.REVERSAL
                || f.adjustments() == Adjustments.REFUNDS_OR_REVERSAL && random.nextInt(3) == 0;
        if (reversal) {
            // A provider's reversal carries the transfer amount and no reversal id; the canonical route may differ.
            String id = f.canonical() && random.nextBoolean() ? "rv-" + (++counter) : null;
            out.add(new Event(reference, PayoutStatus.REVERSED, null, f.canonical() && random.nextBoolean()
                    ? null : paid, paid, id, null));
            return out;
        }
        int scale = paid.value().scale(); // amounts are in whole minor units
        long units = paid.value().movePointRight(scale).longValueExact();
        int parts = 1 + random.nextInt(4);
        List<Long> cuts = new ArrayList<>();
        boolean full = random.nextInt(3) == 0;
        long total = full ? units : Math.max(parts, (long) (units * (0.3 + 0.6 * random.nextDouble())));
        for (int i = 0; i < parts - 1; i++) {
            cuts.add(1 + (long) (random.nextDouble() * (total - 1)));
        }
        Collections.sort(cuts);
        long previous = 0;
        List<Long> pieces = new ArrayList<>();
        for (long cut : cuts) {
            pieces.add(cut - previous);
            previous = cut;
        }
        pieces.add(total - previous);
        if (overshoot) {
            pieces.add(1 + (long) (random.nextDouble() * units / 2));
        }
        if (f.canonical() && random.nextInt(8) == 0) {
            out.add(refund(reference, f, paid, BigDecimal.ONE.movePointLeft(scale),
                    "EUR".equals(paid.currency()) ? "GBP" : "EUR"));  // refund in another currency
        }
        for (long piece : pieces) {
            if (piece <= 0) {
                continue;
            }
            out.add(refund(reference, f, paid, BigDecimal.valueOf(piece).movePointLeft(scale), paid.currency()));
        }
        return out;
    }

    private Event refund(String reference, ProviderFixture f, Amount paid, BigDecimal value, String currency) {
        Amount adjustment = new Amount(value, currency);
        boolean withId = !f.canonical() || random.nextInt(5) != 0;
        String id = withId ? "rf-" + (++counter) : null;
        // The provider's own full/partial word (Comm.Pix: this refund alone against the original amount).
        PayoutStatus word = value.compareTo(paid.value()) >= 0 ? PayoutStatus.REFUNDED : PayoutStatus.PARTIALLY_REFUNDED;
        Amount amount = f.refundsCarryPaidAmount() || f.canonical() && random.nextBoolean() && currency.equals(paid.currency())
                ? paid : null;
        return new Event(reference, word, null, amount, adjustment, id, value.toPlainString());
    }

    // ---- money -------------------------------------------------------------------------------------------

    private static Amount amount(Money money) {
        return new Amount(money.amount(), money.currency());
    }

    private List<String> pick(List<String> from, int n) {
        List<String> copy = new ArrayList<>(from);
        Collections.shuffle(copy, random);
        return copy.subList(0, Math.min(n, copy.size()));
    }

    /** One content per dedup identity: a later outcome with an identity already used is dropped. */
    private static List<Event> unique(List<Event> events) {
        Map<String, Event> byKey = new LinkedHashMap<>();
        for (Event e : events) {
            byKey.putIfAbsent(e.dedupKey(), e);
        }
        return new ArrayList<>(byKey.values());
    }

    // ---- routes and bodies -------------------------------------------------------------------------------

    private List<Planned> routes(ProviderFixture f, List<Event> events) {
        ProviderFixture canonical = ProviderFixtures.canonical();
        List<Planned> planned = new ArrayList<>();
        for (Event e : events) {
            List<Route> routes = new ArrayList<>();
            String own = f.canonical() ? null : f.body(outcome(e), random);
            if (own != null) {
                routes.add(new Route(f.provider(), own));
                if (random.nextInt(10) < 3) {
                    routes.add(new Route(canonical.provider(), canonicalBody(canonical, f, e, "poll")));
                }
            } else {
                String source = f.canonical() ? List.of("internal", "poll", "webhook").get(random.nextInt(3)) : "poll";
                routes.add(new Route(canonical.provider(), canonicalBody(canonical, f, e, source)));
                if (f.canonical() && random.nextInt(4) == 0) {
                    routes.add(new Route(canonical.provider(), canonicalBody(canonical, f, e, "poll")));
                }
            }
            planned.add(new Planned(e, routes));
        }
        return planned;
    }

    /** The canonical route's body for any outcome: its own, or a reconciler's copy of another provider's. */
    private String canonicalBody(ProviderFixture canonical, ProviderFixture f, Event e, String source) {
        return canonical.body(outcome(e).toBuilder().provider(f.canonical() ? null : f.provider()).source(source).build(),
                random);
    }

    /** What the event says, for a fixture to write in its wire format. */
    public static SentOutcome outcome(Event e) {
        return SentOutcome.of(e.reference(), e.status()).stage(e.stage()).amount(money(e.amount()))
                .adjustment(money(e.adjustment())).adjustmentId(e.adjustmentId()).adjustmentText(e.adjustmentText())
                .build();
    }

    private static Money money(Amount amount) {
        return amount == null ? null : new Money(amount.value(), amount.currency());
    }
}
