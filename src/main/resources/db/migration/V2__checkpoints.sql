-- LangGraph4j checkpoints, one row per super-step (see docs/checkpoints.md).
--
-- A row is either a whole state (parent_id IS NULL: "channels" holds every channel) or a delta
-- on its parent row in the same thread: "channels" holds only the channels whose value changed,
-- "appended" the items added at the end of list channels (the messages grow this way), and
-- "removed" the channels that disappeared. A job's growing message list is thus written once,
-- not once per step. checkpoint_state() folds a row's chain back into the whole state.
CREATE TABLE checkpoints (
    thread_id     text        NOT NULL,
    id            bigint      GENERATED ALWAYS AS IDENTITY,
    parent_id     bigint,
    checkpoint_id text        NOT NULL,
    node_id       text        NOT NULL,
    next_node_id  text        NOT NULL,
    channels      jsonb       NOT NULL,
    appended      jsonb,
    removed       text[],
    created_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (thread_id, id)
);

-- Rows arrive in time order, so a BRIN index lets the age sweep find old rows for a few pages.
CREATE INDEX checkpoints_created_at ON checkpoints USING brin (created_at);

-- The whole state of checkpoint row p_id of thread p_thread_id.
CREATE FUNCTION checkpoint_state(p_thread_id text, p_id bigint) RETURNS jsonb
    LANGUAGE plpgsql STABLE
    -- Finds its table when an operator calls it as <schema>.checkpoint_state() from another search_path.
    SET search_path FROM CURRENT AS $$
DECLARE
    folded   jsonb := '{}';
    step     record;
    root_seen boolean := false;
    channel  text;
    items    jsonb;
BEGIN
    FOR step IN
        WITH RECURSIVE chain AS (
            SELECT c.id, c.parent_id, c.channels, c.appended, c.removed, 0 AS depth
              FROM checkpoints c
             WHERE c.thread_id = p_thread_id AND c.id = p_id
            UNION ALL
            SELECT c.id, c.parent_id, c.channels, c.appended, c.removed, chain.depth + 1
              FROM checkpoints c
              JOIN chain ON c.thread_id = p_thread_id AND c.id = chain.parent_id
        )
        SELECT * FROM chain ORDER BY depth DESC
    LOOP
        IF NOT root_seen THEN
            -- A delta whose parent is gone would fold into a plausible but wrong state.
            IF step.parent_id IS NOT NULL THEN
                RAISE EXCEPTION 'checkpoint chain of thread % is broken: row % misses its parent %',
                    p_thread_id, step.id, step.parent_id USING ERRCODE = 'data_exception';
            END IF;
            root_seen := true;
        END IF;
        folded := (folded - coalesce(step.removed, '{}')) || step.channels;
        FOR channel, items IN SELECT key, value FROM jsonb_each(coalesce(step.appended, '{}')) LOOP
            folded := folded || jsonb_build_object(channel, coalesce(folded -> channel, '[]') || items);
        END LOOP;
    END LOOP;
    RETURN CASE WHEN root_seen THEN folded END;
END
$$;
