package io.bizmatters.agentexecutor.checkpoint;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * What the saver remembers of a channel it wrote: a SHA-256 of its JSON and, for a list, its
 * length, with the digest chained over the items so that a prefix of a longer list can be
 * recognised. Remembering digests instead of values keeps 2,000 in-flight jobs cheap in memory.
 *
 * @param listLength items in the list, or -1 when the channel is not a list
 */
record ChannelDigest(int listLength, byte[] sha256) {

    boolean isList() {
        return listLength >= 0;
    }

    boolean sameAs(ChannelDigest other) {
        return other != null && listLength == other.listLength && Arrays.equals(sha256, other.sha256);
    }

    static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM offers no SHA-256", e);
        }
    }
}
