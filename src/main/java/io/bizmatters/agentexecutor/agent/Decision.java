package io.bizmatters.agentexecutor.agent;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * A person's answer to one tool call that waited for approval: run it as proposed, run it with
 * edited arguments, or do not run it and tell the model why.
 *
 * @param editedArguments the arguments to run with, as JSON text; only for {@link Type#EDIT}
 * @param message         what the model reads about a rejection; may be null
 */
public record Decision(String toolCallId, Type type, String editedArguments, String message) {

    /** The decision types of deepagents' {@code interrupt_on}, under the same wire names. */
    public enum Type {
        APPROVE, EDIT, REJECT;

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Optional<Type> ofWireName(String name) {
            return Arrays.stream(values()).filter(t -> t.wireName().equals(name)).findFirst();
        }
    }
}
