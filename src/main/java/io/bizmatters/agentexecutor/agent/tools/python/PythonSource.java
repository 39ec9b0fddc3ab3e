package io.bizmatters.agentexecutor.agent.tools.python;

import java.util.ArrayList;
import java.util.List;

/**
 * Lexical helpers for reading Python text without running it: bracket depth and string literals
 * decide where a parameter list ends and where a comma or colon separates parts. Callers blank out
 * comments first ({@link #withoutComments}).
 */
final class PythonSource {
    private PythonSource() {
    }

    /** Splits on {@code separator} where it stands outside brackets and string literals. */
    static List<String> splitTopLevel(String text, char separator) {
        List<String> parts = new ArrayList<>();
        int start = 0;
        for (int at = indexOfTopLevel(text, 0, separator); at >= 0; at = indexOfTopLevel(text, start, separator)) {
            parts.add(text.substring(start, at).strip());
            start = at + 1;
        }
        parts.add(text.substring(start).strip());
        return parts;
    }

    /**
     * The index of the first {@code wanted} from {@code from} on that stands outside brackets opened
     * after {@code from} and outside strings, or -1. With {@code ')'} and {@code from} just after an
     * opening parenthesis, that is the parenthesis closing it.
     */
    static int indexOfTopLevel(String text, int from, char wanted) {
        int depth = 0;
        int i = from;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == '"' || c == '\'') {
                i = endOfString(text, i);
                continue;
            }
            if (c == wanted && depth == 0) {
                return i;
            }
            if (c == '(' || c == '[' || c == '{') {
                depth++;
            } else if (c == ')' || c == ']' || c == '}') {
                depth--;
            }
            i++;
        }
        return -1;
    }

    /** The index just after the string literal whose opening quote is at {@code quoteAt}. */
    static int endOfString(String text, int quoteAt) {
        char quote = text.charAt(quoteAt);
        boolean triple = text.startsWith(String.valueOf(quote).repeat(3), quoteAt);
        if (triple) {
            int end = text.indexOf(String.valueOf(quote).repeat(3), quoteAt + 3);
            return end < 0 ? text.length() : end + 3;
        }
        int i = quoteAt + 1;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == '\\') {
                i += 2;
                continue;
            }
            if (c == quote || c == '\n') {
                return i + 1;
            }
            i++;
        }
        return text.length();
    }

    /** The index of the line break ending the line at {@code from}, or the text's length. */
    static int lineEnd(String text, int from) {
        int end = text.indexOf('\n', from);
        return end < 0 ? text.length() : end;
    }

    /** The text with every comment blanked out (same length), so later scans need not know about them. */
    static String withoutComments(String text) {
        StringBuilder out = new StringBuilder(text);
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == '"' || c == '\'') {
                i = endOfString(text, i);
            } else if (c == '#') {
                while (i < text.length() && text.charAt(i) != '\n') {
                    out.setCharAt(i++, ' ');
                }
            } else {
                i++;
            }
        }
        return out.toString();
    }

    /** The value of a simple string literal ({@code "x"}, {@code 'x'}, with an r/u/b prefix), else null. */
    static String stringLiteral(String expression) {
        String e = expression.strip();
        int prefix = 0;
        while (prefix < e.length() && "rRuUbB".indexOf(e.charAt(prefix)) >= 0) {
            prefix++;
        }
        if (prefix > 2 || e.length() - prefix < 2) {
            return null;
        }
        char quote = e.charAt(prefix);
        if ((quote != '"' && quote != '\'') || e.charAt(e.length() - 1) != quote
                || endOfString(e, prefix) != e.length()) {
            return null;
        }
        int q = e.startsWith(String.valueOf(quote).repeat(3), prefix) && e.length() - prefix >= 6 ? 3 : 1;
        return e.substring(prefix + q, e.length() - q);
    }
}
