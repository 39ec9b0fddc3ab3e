package io.bizmatters.agentexecutor.checkpoint;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/**
 * A state encoded as the columns of one checkpoint row: either the whole state, or a delta on
 * the parent row whose channel digests are known. Lists that grew by appending (the messages)
 * store only their new items, so a job's history is written once rather than once per step.
 *
 * @param channelsJson JSON object of the channels to set (every channel for a whole state)
 * @param appendedJson JSON object of items appended to list channels, or null
 * @param removed      channels the parent had and this state lacks, or null
 * @param digests      what to remember of this state, to encode the next one as a delta
 */
record StateRow(String channelsJson, String appendedJson, String[] removed, Map<String, ChannelDigest> digests) {

    static StateRow whole(Map<String, Object> state) {
        return encode(state, Map.of());
    }

    static StateRow deltaOn(Map<String, ChannelDigest> parent, Map<String, Object> state) {
        return encode(state, parent);
    }

    private static StateRow encode(Map<String, Object> state, Map<String, ChannelDigest> parent) {
        StateJson.requireJsonCompatible(state);
        JsonObjectText channels = new JsonObjectText();
        JsonObjectText appended = new JsonObjectText();
        Map<String, ChannelDigest> digests = new HashMap<>();
        state.forEach((channel, value) -> {
            ChannelDigest before = parent.get(channel);
            if (value instanceof List<?> list) {
                ListEncoding encoded = ListEncoding.of(list, before);
                digests.put(channel, encoded.digest());
                if (encoded.appendsTo(before)) {
                    appended.put(channel, encoded.jsonFrom(before.listLength()));
                } else if (!encoded.digest().sameAs(before)) {
                    channels.put(channel, encoded.jsonFrom(0));
                }
            } else {
                String json = StateJson.write(value);
                ChannelDigest digest = new ChannelDigest(-1, ChannelDigest.newSha256().digest(utf8(json)));
                digests.put(channel, digest);
                if (!digest.sameAs(before)) {
                    channels.put(channel, json);
                }
            }
        });
        String[] removed = parent.keySet().stream().filter(channel -> !state.containsKey(channel)).toArray(String[]::new);
        return new StateRow(channels.text(), appended.isEmpty() ? null : appended.text(),
                removed.length == 0 ? null : removed, digests);
    }

    private static byte[] utf8(String json) {
        return json.getBytes(StandardCharsets.UTF_8);
    }

    /** A list's items as JSON, with its digest and the digest of the parent's prefix of it. */
    private record ListEncoding(List<String> itemsJson, ChannelDigest digest, byte[] prefixSha256) {

        static ListEncoding of(List<?> list, ChannelDigest before) {
            int prefixLength = before != null && before.isList() ? before.listLength() : -1;
            MessageDigest chain = ChannelDigest.newSha256();
            MessageDigest item = ChannelDigest.newSha256();
            List<String> itemsJson = new ArrayList<>(list.size());
            byte[] prefix = prefixLength == 0 ? digestSoFar(chain) : null;
            for (Object value : list) {
                String json = StateJson.write(value);
                itemsJson.add(json);
                chain.update(item.digest(utf8(json)));
                if (itemsJson.size() == prefixLength) {
                    prefix = digestSoFar(chain);
                }
            }
            return new ListEncoding(itemsJson, new ChannelDigest(list.size(), chain.digest()), prefix);
        }

        boolean appendsTo(ChannelDigest before) {
            return before != null && before.isList() && before.listLength() < itemsJson.size()
                    && Arrays.equals(prefixSha256, before.sha256());
        }

        String jsonFrom(int first) {
            StringJoiner array = new StringJoiner(",", "[", "]");
            itemsJson.subList(first, itemsJson.size()).forEach(array::add);
            return array.toString();
        }

        private static byte[] digestSoFar(MessageDigest chain) {
            try {
                return ((MessageDigest) chain.clone()).digest();
            } catch (CloneNotSupportedException e) {
                throw new IllegalStateException("SHA-256 digest cannot be cloned", e);
            }
        }
    }

    /** Builds a JSON object from channel names and already-serialized values. */
    private static final class JsonObjectText {
        private final StringJoiner members = new StringJoiner(",", "{", "}");
        private boolean empty = true;

        void put(String channel, String json) {
            members.add(StateJson.write(channel) + ":" + json);
            empty = false;
        }

        boolean isEmpty() {
            return empty;
        }

        String text() {
            return members.toString();
        }
    }
}
