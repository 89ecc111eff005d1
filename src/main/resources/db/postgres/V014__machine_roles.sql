-- A machine writes only as itself (issue 19). Each machine's hub may connect with its own database role; the table
-- huddle_machines maps such a role to its machine, and row-level security lets that role insert rows only as its
-- machine, insert messages only from its own agents (or from nobody: the human at that machine, huddle's notices),
-- and change only its own agents' rows. Reads stay open to the team.
--
-- Who is restricted (huddle_unrestricted): a role listed in huddle_machines always. A role not listed is not, while
-- the table is empty (a team without per-machine roles works as before), or when it owns the tables or is a member of
-- their owner (the administrator, whoever migrated). Once a machine is listed, any other role that is neither may read
-- but not write. The tables' owner bypasses row-level security anyway (ENABLE, not FORCE): it migrates the schema and
-- may repair any row.
--
-- Functions name their tables with this schema (not the search path): a role may create temporary tables, and a
-- temporary huddle_machines first in its path must not remap it.
CREATE TABLE huddle_machines (
    role     TEXT PRIMARY KEY,
    machine  TEXT NOT NULL UNIQUE,
    added_at BIGINT NOT NULL DEFAULT (extract(epoch FROM now()) * 1000)::BIGINT
);
GRANT SELECT ON huddle_machines TO PUBLIC;

DO $v014$
DECLARE
    s TEXT := quote_ident(current_schema());
BEGIN
    -- PL/pgSQL, not SQL: a session plans their queries once, where a SQL function not inlined (these have sub-queries)
    -- is planned anew in every statement whose policy calls it (five times the cost of an insert, measured).
    -- The machine of the role running the statement, or NULL when the role is not a per-machine role.
    EXECUTE format($f$CREATE FUNCTION huddle_machine() RETURNS TEXT LANGUAGE plpgsql STABLE AS $b$
        BEGIN
            RETURN (SELECT machine FROM %1$s.huddle_machines WHERE role = current_user::text);
        END $b$$f$, s);
    -- Whether the role writes as any machine: not listed, and either no machine is listed or it owns the tables.
    EXECUTE format($f$CREATE FUNCTION huddle_unrestricted() RETURNS BOOLEAN LANGUAGE plpgsql STABLE AS $b$
        BEGIN
            IF EXISTS (SELECT 1 FROM %1$s.huddle_machines WHERE role = current_user::text) THEN RETURN false; END IF;
            RETURN NOT EXISTS (SELECT 1 FROM %1$s.huddle_machines)
                OR pg_catalog.pg_has_role(current_user, (SELECT relowner FROM pg_catalog.pg_class WHERE oid = %2$L::regclass), 'MEMBER');
        END $b$$f$, s, s || '.agents');
    -- Whether the role may write a row of machine m.
    EXECUTE format($f$CREATE FUNCTION huddle_writes(m TEXT) RETURNS BOOLEAN LANGUAGE plpgsql STABLE AS $b$
        DECLARE mine TEXT := %1$s.huddle_machine();
        BEGIN
            IF mine IS NULL THEN RETURN %1$s.huddle_unrestricted(); END IF;
            RETURN coalesce(m = mine, false);
        END $b$$f$, s);
    -- Whether the role may act for the agent: the agent is of its machine.
    EXECUTE format($f$CREATE FUNCTION huddle_writes_for(agent TEXT) RETURNS BOOLEAN LANGUAGE plpgsql STABLE AS $b$
        DECLARE mine TEXT := %1$s.huddle_machine();
        BEGIN
            IF mine IS NULL THEN RETURN %1$s.huddle_unrestricted(); END IF;
            RETURN EXISTS (SELECT 1 FROM %1$s.agents a WHERE a.agent_id = agent AND a.machine = mine);
        END $b$$f$, s);
    -- Gives every listed role what a hub needs: read everything, write the tables row-level security guards. The
    -- administrator runs it after listing a role; a migration by the owner runs it again (new tables).
    EXECUTE format($f$CREATE FUNCTION huddle_grant_machines() RETURNS INTEGER LANGUAGE plpgsql AS $g$
        DECLARE r RECORD; t RECORD; n INTEGER := 0;
        BEGIN
            FOR r IN SELECT m.role FROM %1$s.huddle_machines m WHERE EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = m.role) LOOP
                EXECUTE format('GRANT USAGE ON SCHEMA %%s TO %%I', %2$L, r.role);
                FOR t IN SELECT c.relname, c.relrowsecurity FROM pg_catalog.pg_class c
                        WHERE c.relnamespace = %2$L::regnamespace AND c.relkind = 'r' LOOP
                    EXECUTE format('GRANT SELECT ON %%s.%%I TO %%I', %2$L, t.relname, r.role);
                    IF t.relrowsecurity THEN
                        EXECUTE format('GRANT INSERT, UPDATE, DELETE ON %%s.%%I TO %%I', %2$L, t.relname, r.role);
                    END IF;
                END LOOP;
                EXECUTE format('GRANT USAGE ON ALL SEQUENCES IN SCHEMA %%s TO %%I', %2$L, r.role);
                n := n + 1;
            END LOOP;
            RETURN n;
        END
    $g$ SET search_path = pg_catalog, pg_temp$f$, s, s);
END
$v014$;

-- What a restricted role may change in a row it may update: the delivery marks and reply links, and an agent
-- reference only from one of its agents to another (a merge of two rows of one agent). Never a body, a sender seen
-- by the team, or a machine.
CREATE FUNCTION huddle_guard_messages() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF huddle_unrestricted() THEN RETURN NEW; END IF;
    IF (NEW.seq, NEW.id, NEW.project_root, NEW.origin, NEW.body, NEW.request_id, NEW.reply_to, NEW.source_message_id,
        NEW.action_required, NEW.wake, NEW.created_at, NEW.machine)
       IS DISTINCT FROM (OLD.seq, OLD.id, OLD.project_root, OLD.origin, OLD.body, OLD.request_id, OLD.reply_to,
        OLD.source_message_id, OLD.action_required, OLD.wake, OLD.created_at, OLD.machine)
       OR (NEW.sender_id IS DISTINCT FROM OLD.sender_id AND NOT (huddle_writes_for(OLD.sender_id) AND huddle_writes_for(NEW.sender_id)))
       OR (NEW.recipient_id IS DISTINCT FROM OLD.recipient_id AND NOT (huddle_writes_for(OLD.recipient_id) AND huddle_writes_for(NEW.recipient_id))) THEN
        RAISE EXCEPTION 'machine % may change only the delivery and reply marks of message %', huddle_machine(), OLD.id
            USING ERRCODE = '42501';
    END IF;
    RETURN NEW;
END
$$;

CREATE FUNCTION huddle_guard_asks() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF huddle_unrestricted() THEN RETURN NEW; END IF;
    IF (NEW.request_id, NEW.message_id, NEW.created_at, NEW.machine) IS DISTINCT FROM (OLD.request_id, OLD.message_id, OLD.created_at, OLD.machine)
       OR (NEW.requester_id IS DISTINCT FROM OLD.requester_id AND NOT (huddle_writes_for(OLD.requester_id) AND huddle_writes_for(NEW.requester_id)))
       OR (NEW.target_id IS DISTINCT FROM OLD.target_id AND NOT (huddle_writes_for(OLD.target_id) AND huddle_writes_for(NEW.target_id))) THEN
        RAISE EXCEPTION 'machine % may change only the state of ask %', huddle_machine(), OLD.request_id USING ERRCODE = '42501';
    END IF;
    RETURN NEW;
END
$$;

CREATE FUNCTION huddle_guard_wakes() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF huddle_unrestricted() THEN RETURN NEW; END IF;
    IF (NEW.id, NEW.message_id, NEW.machine) IS DISTINCT FROM (OLD.id, OLD.message_id, OLD.machine)
       OR (NEW.target_id IS DISTINCT FROM OLD.target_id AND NOT (huddle_writes_for(OLD.target_id) AND huddle_writes_for(NEW.target_id))) THEN
        RAISE EXCEPTION 'machine % may not move wake % to another agent', huddle_machine(), OLD.id USING ERRCODE = '42501';
    END IF;
    RETURN NEW;
END
$$;

DO $v014$
BEGIN
    -- their own names resolve in this schema alone, whatever the caller's search path holds
    EXECUTE format('ALTER FUNCTION huddle_guard_messages() SET search_path = %s, pg_catalog, pg_temp', quote_ident(current_schema()));
    EXECUTE format('ALTER FUNCTION huddle_guard_asks() SET search_path = %s, pg_catalog, pg_temp', quote_ident(current_schema()));
    EXECUTE format('ALTER FUNCTION huddle_guard_wakes() SET search_path = %s, pg_catalog, pg_temp', quote_ident(current_schema()));
END
$v014$;

CREATE TRIGGER messages_guard BEFORE UPDATE ON messages FOR EACH ROW EXECUTE FUNCTION huddle_guard_messages();
CREATE TRIGGER asks_guard BEFORE UPDATE ON asks FOR EACH ROW EXECUTE FUNCTION huddle_guard_asks();
CREATE TRIGGER wakes_guard BEFORE UPDATE ON wakes FOR EACH ROW EXECUTE FUNCTION huddle_guard_wakes();

-- agents: a machine's own rows.
ALTER TABLE agents ENABLE ROW LEVEL SECURITY;
CREATE POLICY agents_read ON agents FOR SELECT USING (true);
CREATE POLICY agents_insert ON agents FOR INSERT WITH CHECK (huddle_writes(machine));
CREATE POLICY agents_update ON agents FOR UPDATE USING (huddle_writes(machine)) WITH CHECK (huddle_writes(machine));
CREATE POLICY agents_delete ON agents FOR DELETE USING (huddle_writes(machine));

-- agent_processes: a machine's own processes, of its own agents.
ALTER TABLE agent_processes ENABLE ROW LEVEL SECURITY;
CREATE POLICY agent_processes_read ON agent_processes FOR SELECT USING (true);
CREATE POLICY agent_processes_insert ON agent_processes FOR INSERT
    WITH CHECK (huddle_writes(machine) AND huddle_writes_for(agent_id));
CREATE POLICY agent_processes_update ON agent_processes FOR UPDATE USING (huddle_writes(machine))
    WITH CHECK (huddle_writes(machine) AND huddle_writes_for(agent_id));
CREATE POLICY agent_processes_delete ON agent_processes FOR DELETE USING (huddle_writes(machine));

-- messages: sent as the machine, by one of its agents (or by nobody: an operator message or a notice); delivery marks,
-- obligations and merges only on messages to or from its agents (huddle_guard_messages says which columns); never
-- deleted.
ALTER TABLE messages ENABLE ROW LEVEL SECURITY;
CREATE POLICY messages_read ON messages FOR SELECT USING (true);
CREATE POLICY messages_insert ON messages FOR INSERT
    WITH CHECK (huddle_writes(machine) AND (sender_id IS NULL OR huddle_writes_for(sender_id)));
CREATE POLICY messages_update ON messages FOR UPDATE
    USING (huddle_writes_for(recipient_id) OR huddle_writes_for(sender_id))
    WITH CHECK (huddle_writes_for(recipient_id) OR huddle_writes_for(sender_id));

-- asks: asked by one of its agents; answered (or merged) by the machine of either side; never deleted.
ALTER TABLE asks ENABLE ROW LEVEL SECURITY;
CREATE POLICY asks_read ON asks FOR SELECT USING (true);
CREATE POLICY asks_insert ON asks FOR INSERT WITH CHECK (huddle_writes(machine) AND huddle_writes_for(requester_id));
CREATE POLICY asks_update ON asks FOR UPDATE
    USING (huddle_writes_for(requester_id) OR huddle_writes_for(target_id))
    WITH CHECK (huddle_writes_for(requester_id) OR huddle_writes_for(target_id));

-- wakes: any machine records the wake decisions it makes (for any target: the policy is shared); the row's writer and
-- the target's machine (which carries the wake out) may update it.
ALTER TABLE wakes ENABLE ROW LEVEL SECURITY;
CREATE POLICY wakes_read ON wakes FOR SELECT USING (true);
CREATE POLICY wakes_insert ON wakes FOR INSERT WITH CHECK (huddle_writes(machine));
CREATE POLICY wakes_update ON wakes FOR UPDATE USING (huddle_writes(machine) OR huddle_writes_for(target_id))
    WITH CHECK (huddle_writes(machine) OR huddle_writes_for(target_id));
CREATE POLICY wakes_delete ON wakes FOR DELETE USING (huddle_writes(machine) OR huddle_writes_for(target_id));

-- claims: held by its own agents; an expired claim may be swept by any machine (it holds nothing).
ALTER TABLE claims ENABLE ROW LEVEL SECURITY;
CREATE POLICY claims_read ON claims FOR SELECT USING (true);
CREATE POLICY claims_insert ON claims FOR INSERT WITH CHECK (huddle_writes(machine) AND huddle_writes_for(holder_id));
CREATE POLICY claims_update ON claims FOR UPDATE USING (huddle_writes_for(holder_id)) WITH CHECK (huddle_writes_for(holder_id));
CREATE POLICY claims_delete ON claims FOR DELETE
    USING (huddle_writes_for(holder_id) OR expires <= (extract(epoch FROM now()) * 1000)::BIGINT);

-- Any other table with a machine column (a hub's own row, say): its own rows only.
DO $v014$
DECLARE
    t RECORD;
BEGIN
    FOR t IN SELECT c.relname FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = 'machine' AND NOT a.attisdropped
            WHERE c.relnamespace = quote_ident(current_schema())::regnamespace AND c.relkind = 'r' AND NOT c.relrowsecurity
              AND c.relname NOT IN ('huddle_schema', 'huddle_machines') LOOP
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t.relname);
        EXECUTE format('CREATE POLICY %I ON %I FOR SELECT USING (true)', t.relname || '_read', t.relname);
        EXECUTE format('CREATE POLICY %I ON %I FOR INSERT WITH CHECK (huddle_writes(machine))', t.relname || '_insert', t.relname);
        EXECUTE format('CREATE POLICY %I ON %I FOR UPDATE USING (huddle_writes(machine)) WITH CHECK (huddle_writes(machine))',
            t.relname || '_update', t.relname);
        EXECUTE format('CREATE POLICY %I ON %I FOR DELETE USING (huddle_writes(machine))', t.relname || '_delete', t.relname);
    END LOOP;
END
$v014$;
