package io.bizmatters.agentexecutor.deployment;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Just enough PromQL to check the dashboard and the alerts without a Prometheus: the metric
 * names an expression reads, whether its brackets balance, and what a histogram_quantile
 * aggregates. The expressions are ours and simple; anything this cannot read fails.
 */
final class PromQl {

    private static final Set<String> KEYWORDS = Set.of(
            "by", "without", "on", "ignoring", "group_left", "group_right", "and", "or", "unless", "bool", "offset",
            "sum", "min", "max", "avg", "count", "group", "stddev", "stdvar", "topk", "bottomk", "quantile", "count_values");
    private static final Pattern STRING = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"");
    private static final Pattern LABEL_LIST = Pattern.compile("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)");
    private static final Pattern IDENTIFIER = Pattern.compile("(?<![\\w$.])([a-zA-Z_:][a-zA-Z0-9_:]*)(\\s*\\()?");
    private static final Pattern QUANTILE = Pattern.compile(
            "histogram_quantile\\(\\s*[0-9.]+\\s*,\\s*sum by \\(([^)]*)\\) \\(rate\\(([a-z_:]+)[{\\[]");
    private static final Map<Character, Character> CLOSING = Map.of(')', '(', ']', '[', '}', '{');

    private PromQl() {
    }

    /** The metric names {@code expression} reads. */
    static Set<String> metricNames(String expression) {
        String stripped = STRING.matcher(expression).replaceAll("\"\"");
        stripped = stripped.replaceAll("\\{[^}]*\\}", "").replaceAll("\\[[^\\]]*\\]", "");
        stripped = LABEL_LIST.matcher(stripped).replaceAll("");
        Set<String> names = new LinkedHashSet<>();
        Matcher identifier = IDENTIFIER.matcher(stripped);
        while (identifier.find()) {
            boolean function = identifier.group(2) != null;
            if (!function && !KEYWORDS.contains(identifier.group(1))) {
                names.add(identifier.group(1));
            }
        }
        return names;
    }

    /** Whether every (, [ and { outside strings closes, in order. */
    static boolean balanced(String expression) {
        Deque<Character> open = new ArrayDeque<>();
        for (char c : STRING.matcher(expression).replaceAll("\"\"").toCharArray()) {
            if (c == '(' || c == '[' || c == '{') {
                open.push(c);
            } else if (CLOSING.containsKey(c) && (open.isEmpty() || open.pop() != CLOSING.get(c))) {
                return false;
            }
        }
        return open.isEmpty();
    }

    /** Each histogram_quantile of the expression as [labels it keeps, series it reads]; none when it has none. */
    static List<List<String>> quantiles(String expression) {
        Matcher quantile = QUANTILE.matcher(expression.replaceAll("\\s+", " ").replace("( ", "("));
        List<List<String>> found = new ArrayList<>();
        while (quantile.find()) {
            found.add(List.of(quantile.group(1), quantile.group(2)));
        }
        return found;
    }
}
