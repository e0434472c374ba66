package dev.payoutcallbacks.core.provider;

/**
 * How a provider's own text is quoted back in a rejection, an evidence line or a failure reason: cut to a bound,
 * so a hostile or runaway value cannot grow a log line, an answer or a stored item.
 */
public final class WireText {
    /** What a rejection quotes of an unexpected wire value (a status, a type, a header). */
    public static final int QUOTED = 40;

    private WireText() {
    }

    /** At most {@value #QUOTED} characters of {@code text}, "..." marking a cut. */
    public static String clip(String text) {
        return clip(text, QUOTED);
    }

    /** At most {@code max} characters of {@code text}, "..." marking a cut; null stays null. */
    public static String clip(String text, int max) {
        return text == null || text.length() <= max ? text : text.substring(0, max) + "...";
    }
}
