package dev.payoutcallbacks.core.testing;

import dev.payoutcallbacks.core.config.FunctionEnvironment;
import dev.payoutcallbacks.core.config.RuntimeSecrets;
import dev.payoutcallbacks.core.lambda.ProviderCallbackFunction;
import dev.payoutcallbacks.core.payout.Money;
import dev.payoutcallbacks.core.provider.ProviderCallbacks;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * One provider as the harnesses (infra/correctness, infra/bench) drive it: its function, how it authenticates what
 * it sends, what it can say and in which wire format, and the hostile bodies of that format. Each provider module
 * ships one in its test sources, registered in {@code META-INF/services/dev.payoutcallbacks.core.testing.ProviderFixture}
 * ({@link ProviderFixtures} finds them), so no harness keeps a list of providers.
 *
 * <p>Credentials are computed here from the secrets, never through the provider's own verifier: the harnesses check
 * the verifier against an independent sender.
 */
public interface ProviderFixture {

    /**
     * What a sender adds to one body, header names as the provider spells them.
     *
     * @param credential what proves the sender (an unauthenticated request leaves it out)
     * @param headers    its other headers
     * @param sourceIp   the address it sends from
     */
    record Credentials(Map<String, String> credential, Map<String, String> headers, String sourceIp) {
    }

    /** What a provider's adjustments are. */
    enum Adjustments {
        /** A reversal: the whole transfer came back. */
        REVERSAL,
        /** Refunds, each with its id, partial or full. */
        REFUNDS,
        /** Either. */
        REFUNDS_OR_REVERSAL
    }

    /** A sender's address inside every local allow list (infra/local-env.json). */
    String SENDER_IP = "203.0.113.10";

    // ---- the function ----------------------------------------------------------------------------------

    /**
     * The provider's callback function.
     *
     * @param provider the provider's name, as its callbacks report it
     * @param path     the route its callbacks arrive on, as template.yaml declares it
     * @param handler  the handler template.yaml names for that route
     * @param settings how it reads its settings ({@code fromEnvironment} on its provider class)
     */
    record CallbackFunction(String provider, String path, Class<? extends ProviderCallbackFunction> handler,
                            ProviderCallbackFunction.Settings settings) {
    }

    CallbackFunction function();

    default String provider() {
        return function().provider();
    }

    default String path() {
        return function().path();
    }

    default Class<? extends ProviderCallbackFunction> handlerClass() {
        return function().handler();
    }

    /** Its callbacks as its function builds them from {@code environment} (secrets read from it too). */
    default ProviderCallbacks callbacks(Map<String, String> environment) {
        FunctionEnvironment env = new FunctionEnvironment(environment);
        return function().settings().fromEnvironment(env, RuntimeSecrets.fromEnvironment(env));
    }

    /** Its real handler, through the constructor every handler has for runtimes hosting several functions. */
    default ProviderCallbackFunction handler(Map<String, String> environment) {
        try {
            return handlerClass().getConstructor(Map.class).newInstance(environment);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(handlerClass() + " needs a public constructor taking the environment", e);
        }
    }

    /** The name harness figures give this fixture (a variant's names its settings too). */
    default String route() {
        return provider();
    }

    /** Settings this fixture adds to the function's environment (a variant's). */
    default Map<String, String> settings() {
        return Map.of();
    }

    /** Configurations worth exercising beside the local one, each a fixture of its own. */
    default List<ProviderFixture> variants() {
        return List.of();
    }

    // ---- the sender ------------------------------------------------------------------------------------

    /**
     * The credentials the provider sends with {@code body}; {@code secret} gives the value the sender uses for a
     * secret setting (the first of a list), such as {@code PIVOT_CALLBACK_API_KEYS}.
     */
    Credentials credentials(byte[] body, UnaryOperator<String> secret);

    /** Whether its credential is a MAC of the body (one computed for another body is refused). */
    default boolean signsBody() {
        return false;
    }

    /** Whether it refuses a sender outside an allow list (whatever the credential). */
    default boolean checksSender() {
        return false;
    }

    /** Settings of its function that are not secret (leak checks skip their values). */
    default Set<String> publicSettings() {
        return Set.of();
    }

    // ---- what it says ----------------------------------------------------------------------------------

    /**
     * The canonical route: it says every outcome, and carries other providers' outcomes too (the reconciler's
     * copies, {@link SentOutcome#provider()}); its own outcomes arrive through nothing else.
     */
    default boolean canonical() {
        return false;
    }

    /** The currency of its payouts. */
    String currency();

    /** A payout amount as it pays them (draws from {@code random} only). */
    Money amount(Random random);

    /** The stages of its open statuses, as {@link SentOutcome#stage()} names them. */
    List<String> openStages();

    default boolean openStagesCarryAmount() {
        return false;
    }

    /** Whether its final outcomes carry the payout's amount. */
    default boolean carriesAmount() {
        return true;
    }

    default boolean saysPartiallyPaid() {
        return false;
    }

    default boolean saysCancelled() {
        return true;
    }

    default Adjustments adjustments() {
        return Adjustments.REVERSAL;
    }

    /** Whether each refund repeats the original payout's amount. */
    default boolean refundsCarryPaidAmount() {
        return false;
    }

    /** An open stage whose callback may report another amount than the payout's; null where none does. */
    default String wrongAmountStage() {
        return null;
    }

    /** Whether its success names its own payout id ({@link SentOutcome#providerPayoutId()}); the canonical route's does not. */
    default boolean saysProviderPayoutId() {
        return !canonical();
    }

    /** Whether its success carries the bank's reference ({@link SentOutcome#bankReference()}). */
    default boolean saysBankReference() {
        return false;
    }

    /**
     * The body it sends for {@code outcome}, or null when its callbacks cannot say it. {@code forms} picks among the
     * spellings the provider uses (an amount as a number or a string, two event shapes); whether a body is null does
     * not depend on it. A fresh {@code Random} with a fixed seed gives one spelling.
     */
    String body(SentOutcome outcome, Random forms);

    // ---- hostile input ---------------------------------------------------------------------------------

    /** A valid success body with two holes: {@code %REF%} (the payout reference) and {@code %AMOUNT%} (a JSON value). */
    String template();

    /** The JSON value {@code %AMOUNT%} takes in a valid body (where a success carries no amount, another number). */
    String templateAmount();

    /** The field that names the payout in {@link #template()}. */
    String referenceField();

    /** Bodies of its format with wrong types or missing fields, each to be refused, by case name. */
    Map<String, String> malformedBodies(String reference);

    /** Authenticated outcomes whose free-form identifiers (1100 characters) end up in DynamoDB keys, by case name. */
    default Map<String, String> longIdentifierBodies(Supplier<String> references) {
        return Map.of();
    }

    /** Whether its format itself refuses a payout amount of zero. */
    default boolean refusesZeroAmount() {
        return false;
    }

    // ---- for implementations ---------------------------------------------------------------------------

    /** A MAC as a sender computes it, in lower-case hex. */
    static String hmacHex(String algorithm, String secret, byte[] body) {
        try {
            Mac mac = Mac.getInstance(algorithm);
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), algorithm));
            return HexFormat.of().formatHex(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
