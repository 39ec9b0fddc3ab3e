package io.bizmatters.agentexecutor.agent.tools.python;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns a Python type hint, as written, into a JSON schema the model can follow. Types the hint
 * names but this reader cannot know (a pydantic model, an alias) become an unconstrained schema
 * rather than a wrong one.
 */
final class PythonTypeSchema {
    private static final Set<String> ARRAYS = Set.of("list", "List", "Sequence", "MutableSequence", "Iterable",
            "Collection", "set", "Set", "frozenset", "FrozenSet", "tuple", "Tuple");
    private static final Set<String> OBJECTS = Set.of("dict", "Dict", "Mapping", "MutableMapping", "TypedDict");
    private static final Map<String, String> SCALARS = Map.of("str", "string", "bytes", "string", "int", "integer",
            "float", "number", "bool", "boolean", "None", "null", "NoneType", "null");

    /** Far beyond any real hint (list[dict[str, list[int]]] is 3); deeper is a script built to overflow the stack. */
    static final int MAX_DEPTH = 32;

    private PythonTypeSchema() {
    }

    /** A hint nested deeper than {@link #MAX_DEPTH}; the signature reader names the parameter. */
    static final class TooDeep extends RuntimeException {
        TooDeep() {
            super("nests deeper than " + MAX_DEPTH + " levels", null, false, false);
        }
    }

    /**
     * @return a JSON schema; empty (anything goes) when the hint is absent or unknown
     * @throws TooDeep when the hint nests deeper than {@link #MAX_DEPTH}
     */
    static Map<String, Object> of(String annotation) {
        return of(annotation, 0);
    }

    private static Map<String, Object> of(String annotation, int depth) {
        if (depth > MAX_DEPTH) {
            throw new TooDeep();
        }
        if (annotation == null || annotation.isBlank()) {
            return new LinkedHashMap<>();
        }
        String hint = annotation.strip();
        String quoted = PythonSource.stringLiteral(hint);
        if (quoted != null) {
            return of(quoted, depth + 1);
        }
        List<String> union = PythonSource.splitTopLevel(hint, '|');
        if (union.size() > 1) {
            return union(union, depth);
        }
        int bracket = hint.indexOf('[');
        String base = unqualified(bracket < 0 ? hint : hint.substring(0, bracket));
        List<String> args = bracket < 0 || !hint.endsWith("]")
                ? List.of()
                : PythonSource.splitTopLevel(hint.substring(bracket + 1, hint.length() - 1), ',');
        return generic(base, args, depth);
    }

    private static Map<String, Object> generic(String base, List<String> args, int depth) {
        if (SCALARS.containsKey(base)) {
            return typed(SCALARS.get(base));
        }
        if (ARRAYS.contains(base)) {
            Map<String, Object> schema = typed("array");
            if (!args.isEmpty() && !args.getFirst().equals("...")) {
                schema.put("items", of(args.getFirst(), depth + 1));
            }
            return schema;
        }
        if (OBJECTS.contains(base)) {
            return typed("object");
        }
        return switch (base) {
            case "Optional" -> args.isEmpty() ? new LinkedHashMap<>() : of(args.getFirst(), depth + 1);
            case "Union" -> union(args, depth);
            case "Annotated" -> annotated(args, depth);
            case "Literal" -> literal(args);
            default -> new LinkedHashMap<>();
        };
    }

    /** {@code X | None} and {@code Union[X, None]} read as X: whether it may be left out is the default's business. */
    private static Map<String, Object> union(List<String> members, int depth) {
        List<Map<String, Object>> schemas = new ArrayList<>();
        for (String member : members) {
            Map<String, Object> schema = of(member, depth + 1);
            if (!"null".equals(schema.get("type"))) {
                schemas.add(schema);
            }
        }
        if (schemas.size() == 1) {
            return schemas.getFirst();
        }
        if (schemas.isEmpty() || schemas.stream().anyMatch(Map::isEmpty)) {
            return new LinkedHashMap<>();
        }
        Map<String, Object> schema = new LinkedHashMap<>();
        schema.put("anyOf", schemas);
        return schema;
    }

    private static Map<String, Object> annotated(List<String> args, int depth) {
        if (args.isEmpty()) {
            return new LinkedHashMap<>();
        }
        Map<String, Object> schema = of(args.getFirst(), depth + 1);
        args.stream().skip(1).map(PythonSource::stringLiteral).filter(s -> s != null).findFirst()
                .ifPresent(description -> schema.put("description", description));
        return schema;
    }

    private static Map<String, Object> literal(List<String> values) {
        List<String> strings = values.stream().map(PythonSource::stringLiteral).toList();
        if (values.isEmpty() || strings.contains(null)) {
            return new LinkedHashMap<>();
        }
        Map<String, Object> schema = typed("string");
        schema.put("enum", strings);
        return schema;
    }

    private static Map<String, Object> typed(String type) {
        Map<String, Object> schema = new LinkedHashMap<>();
        schema.put("type", type);
        return schema;
    }

    private static String unqualified(String name) {
        String n = name.strip();
        return n.substring(n.lastIndexOf('.') + 1);
    }
}
