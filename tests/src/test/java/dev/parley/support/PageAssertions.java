package dev.parley.support;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * Expectations on a {@link Locator} that wait: the elements are read again every 50 ms
 * until the expectation holds or the timeout ({@link ChatClient#TIMEOUT} unless told)
 * passes; then the failure says what was expected and what was last seen. Texts are
 * compared as Playwright compares them: white space trimmed and runs of it made one space
 * (a pattern sees the text as it is).
 */
public final class PageAssertions {
    private PageAssertions() {
    }

    public static LocatorAssert assertThat(Locator locator) {
        return new LocatorAssert(locator, ChatClient.TIMEOUT, false);
    }

    static String normalize(String text) {
        return text.replace("\u200b", "").strip().replaceAll("\\s+", " ");
    }

    public static final class LocatorAssert {
        private final Locator locator;
        private final Duration timeout;
        private final boolean negated;

        private LocatorAssert(Locator locator, Duration timeout, boolean negated) {
            this.locator = locator;
            this.timeout = timeout;
            this.negated = negated;
        }

        /** The same expectation, waited for this long. */
        public LocatorAssert within(Duration timeout) {
            return new LocatorAssert(locator, timeout, negated);
        }

        /** The opposite expectation. */
        public LocatorAssert not() {
            return new LocatorAssert(locator, timeout, !negated);
        }

        /** One element, whose text is {@code text}. */
        public void hasText(String text) {
            expectOne("the text " + quote(text), "text", state -> normalize(state.getString("text")).equals(normalize(text)));
        }

        /** One element, in whose text {@code pattern} is found. */
        public void hasText(Pattern pattern) {
            expectOne("text matching /" + pattern + "/", "text", state -> pattern.matcher(state.getString("text")).find());
        }

        /** As many elements as texts, each with its text, in this order. */
        public void hasText(String[] texts) {
            List<String> wanted = Arrays.stream(texts).map(PageAssertions::normalize).toList();
            expect("the texts " + quote(texts), "text",
                    states -> states.stream().map(state -> normalize(state.getString("text"))).toList().equals(wanted));
        }

        /** One element, whose text contains {@code text}. */
        public void containsText(String text) {
            expectOne("a text containing " + quote(text), "text",
                    state -> normalize(state.getString("text")).contains(normalize(text)));
        }

        public void hasCount(int count) {
            expect(count + " elements", "text", states -> states.size() == count);
        }

        /** One field, whose value is {@code value}. */
        public void hasValue(String value) {
            expectOne("the value " + quote(value), "value", state -> value.equals(state.getString("value", null)));
        }

        /** One element, that has no text (a field: no value). */
        public void isEmpty() {
            expectOne("to be empty", "value", state -> state.isNull("value")
                    ? normalize(state.getString("text")).isEmpty() : state.getString("value").isEmpty());
        }

        public void isFocused() {
            expectOne("to have the focus", "focused", state -> state.getBoolean("focused"));
        }

        public void isVisible() {
            expectOne("to be visible", "visible", state -> state.getBoolean("visible"));
        }

        /** No element, or none visible. */
        public void isHidden() {
            expect("to be hidden", "visible", states -> states.stream().noneMatch(state -> state.getBoolean("visible")));
        }

        /** One element, at least partly inside the viewport (and not scrolled out of its scroller). */
        public void isInViewport() {
            expectOne("to be in the viewport", "inViewport", state -> state.getBoolean("inViewport"));
        }

        /** Exactly one element, which passes (or, negated, fails) the test. */
        private void expectOne(String expectation, String field, Predicate<JsonObject> holds) {
            check(expectation, field, states -> states.size() == 1 && holds.test(states.get(0)) != negated);
        }

        /** All the elements, which pass (or, negated, fail) the test. */
        private void expect(String expectation, String field, Predicate<List<JsonObject>> holds) {
            check(expectation, field, states -> holds.test(states) != negated);
        }

        private void check(String expectation, String field, Predicate<List<JsonObject>> holds) {
            List<String> fields = field == null ? List.of() : field.equals("value") ? List.of("text", "value") : List.of(field);
            Reading last = Poll.until(() -> Reading.of(locator, fields), reading -> reading.passes(holds), timeout);
            if (!last.passes(holds)) {
                throw new AssertionError(locator.page().engine() + ": " + locator + ": expected " + (negated ? "not " : "")
                        + expectation + " within " + timeout.toMillis() + " ms, last seen " + last);
            }
        }

        private static String quote(String text) {
            return Json.createValue(text).toString();
        }

        private static String quote(String[] texts) {
            return Json.createArrayBuilder(Arrays.asList(texts)).build().toString();
        }
    }

    /** The elements' states, or why they could not be read (a page between two documents). */
    private record Reading(List<JsonObject> states, String failure) {
        static Reading of(Locator locator, List<String> fields) {
            try {
                return new Reading(locator.read(fields), null);
            } catch (AssertionError e) {
                return new Reading(null, e.getMessage());
            }
        }

        boolean passes(Predicate<List<JsonObject>> holds) {
            return states != null && holds.test(states);
        }

        @Override
        public String toString() {
            if (states == null) {
                return "nothing readable: " + failure;
            }
            if (states.isEmpty()) {
                return "no element";
            }
            return states.size() + (states.size() == 1 ? " element: " : " elements: ") + Json.createArrayBuilder(states).build();
        }
    }
}
