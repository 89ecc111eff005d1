package dev.huddle.hub.mcp;

import dev.huddle.hub.claims.Claims;
import dev.huddle.hub.hooks.HookService;
import dev.huddle.hub.identity.AgentRegistry;
import dev.huddle.hub.identity.StateChange;
import dev.huddle.hub.identity.FrontConnection;
import dev.huddle.hub.messaging.Deliveries;
import dev.huddle.hub.messaging.Draft;
import dev.huddle.hub.messaging.Messaging;
import dev.huddle.hub.messaging.TrustFrame;
import dev.huddle.hub.reading.ReadSessions;

import dev.huddle.core.identity.Agent;
import dev.huddle.core.HuddleError;
import dev.huddle.core.messaging.Message;
import dev.huddle.protocol.tools.ToolContract;
import dev.huddle.protocol.Settings;
import dev.huddle.protocol.tools.Tools;
import dev.huddle.protocol.tools.Views;
import dev.huddle.store.StoreException;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.server.McpServerFeatures;
import io.modelcontextprotocol.server.McpSyncServerExchange;
import io.modelcontextprotocol.spec.McpSchema;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.logging.Level;
import java.util.logging.Logger;

/** Binds each tool contract in {@link Tools} to its implementation on the hub's services. */
public final class HubTools {
    private static final Logger LOG = Logger.getLogger(HubTools.class.getName());
    private static final io.modelcontextprotocol.json.schema.JsonSchemaValidator VALIDATOR = McpJsonDefaults.getSchemaValidator();

    /**
     * A tool body: the calling front, its agent as this call found it ({@link AgentRegistry#onToolCall}: read once per
     * call, not again by each tool), the JSON-RPC request it came in, the call's arguments.
     */
    private interface Handler {
        McpSchema.CallToolResult handle(FrontConnection conn, Agent me, Deliveries.RequestRef request, Map<String, Object> args);
    }

    private final AgentRegistry registry;
    private final Messaging messaging;
    private final HookService hooks;
    private final boolean allowCrossProject;
    private final Clock clock;
    private final ReadSessions reads;
    private final Claims claims;
    private final Deliveries deliveries;

    public HubTools(AgentRegistry registry, Messaging messaging, Deliveries deliveries, HookService hooks, boolean allowCrossProject,
                    Clock clock, ReadSessions reads, Claims claims) {
        this.claims = claims;
        this.deliveries = deliveries;
        this.registry = registry;
        this.messaging = messaging;
        this.hooks = hooks;
        this.allowCrossProject = allowCrossProject;
        this.clock = clock;
        this.reads = reads;
    }

    public List<McpServerFeatures.SyncToolSpecification> specifications(McpJsonMapper mapper) {
        List<McpServerFeatures.SyncToolSpecification> specs = new ArrayList<>();
        specs.add(spec(mapper, Tools.LIST_PROJECT_SESSIONS, this::listProjectSessions));
        specs.add(spec(mapper, Tools.SET_MY_STATE, this::setMyState));
        specs.add(spec(mapper, Tools.GET_MY_SESSION, this::getMySession));
        specs.add(spec(mapper, Tools.CLAIM_SESSION, this::claimSession));
        specs.add(spec(mapper, Tools.REGISTER_MY_SESSION, this::claimSession));
        specs.add(spec(mapper, Tools.SEND_MESSAGE, this::sendMessage));
        specs.add(spec(mapper, Tools.READ_MY_MESSAGES, (c, me, r, a) -> ToolResults.ok(messaging.inbox().read(me, r))));
        specs.add(spec(mapper, Tools.REPLY_TO_MESSAGE, (c, me, r, a) -> ToolResults.ok(messaging.replies().reply(me,
                str(a, "message_id"), str(a, "body"), str(a, "wake")))));
        specs.add(spec(mapper, Tools.ASK_PEER, (c, me, r, a) -> ToolResults.ok(messaging.asking().ask(me,
                str(a, "target"), str(a, "body"), a.get("timeout_ms") instanceof Number n ? n.longValue() : null, r))));
        specs.add(spec(mapper, Tools.MESSAGE_STATUS, (c, me, r, a) -> ToolResults.ok(messaging.status().status(me,
                str(a, "message_id")))));
        specs.add(spec(mapper, Tools.MY_OPEN_WORK, (c, me, r, a) -> ToolResults.ok(messaging.obligations().openWork(me))));
        specs.add(spec(mapper, Tools.COMPLETE_WORK, (c, me, r, a) -> ToolResults.ok(messaging.obligations().closeWork(me,
                str(a, "message_id"), str(a, "body"), Message.ObligationState.DONE))));
        specs.add(spec(mapper, Tools.BLOCK_WORK, (c, me, r, a) -> ToolResults.ok(messaging.obligations().closeWork(me,
                str(a, "message_id"), str(a, "reason"), Message.ObligationState.BLOCKED))));
        specs.add(spec(mapper, Tools.READ_SESSION, this::readSession));
        specs.add(spec(mapper, Tools.CLAIM_PATHS, (c, me, r, a) -> ToolResults.ok(claims.claim(me, strings(a, "paths"),
                str(a, "mode"), a.get("ttl_s") instanceof Number n ? n.longValue() : null, str(a, "reason")))));
        specs.add(spec(mapper, Tools.RELEASE_PATHS, (c, me, r, a) -> ToolResults.ok(claims.release(me, strings(a, "paths")))));
        specs.add(spec(mapper, Tools.LIST_CLAIMS, (c, me, r, a) -> ToolResults.ok(claims.list(me))));
        return specs;
    }

    private McpServerFeatures.SyncToolSpecification spec(McpJsonMapper mapper, ToolContract c, Handler h) {
        // Arguments are checked here, not by the SDK, so a mismatch is a structured huddle error like any other.
        Map<String, Object> schema = parseSchema(mapper, c);
        McpSchema.Tool tool = McpSchema.Tool.builder()
                .name(c.name()).title(c.title()).description(c.description())
                .inputSchema(mapper, c.inputSchema())
                .annotations(new McpSchema.ToolAnnotations(c.title(), c.readOnly(), false, true, false, null))
                .build();
        BiFunction<McpSyncServerExchange, McpSchema.CallToolRequest, McpSchema.CallToolResult> call = (exchange, req) -> {
            FrontConnection conn = McpSessions.connectionOf(exchange.transportContext());
            if (conn == null) return ToolResults.error("internal", "no connection context for this call", null, null);
            Map<String, Object> args = req.arguments() == null ? Map.of() : req.arguments();
            var check = VALIDATOR.validate(schema, args);
            if (!check.valid()) {
                return ToolResults.error("invalid-argument", c.name() + ": the arguments do not match the tool's schema: "
                        + check.errorMessage(), "Check the argument names and types in the tool's input schema.", null);
            }
            Deliveries.RequestRef request = McpSessions.requestOf(exchange.transportContext());
            try {
                Agent me = registry.onToolCall(conn, req.meta());
                hooks.toolCalled(me);
                return h.handle(conn, me, request, args);
            } catch (HuddleError e) {
                deliveries.withdraw(request);
                return ToolResults.error(e);
            } catch (StoreException e) {
                deliveries.withdraw(request); // what the call offered is not in its error response
                LOG.log(Level.WARNING, "tool " + c.name() + " failed on the database", e);
                return ToolResults.error(e.code(), "huddle's database failed: " + e.getMessage(),
                        e.hint() != null ? e.hint() : "Nothing was changed. Retry; if it persists, a human can run `huddle doctor`.", null);
            } catch (RuntimeException e) {
                deliveries.withdraw(request);
                LOG.log(Level.WARNING, "tool " + c.name() + " failed", e);
                return ToolResults.error("internal", "huddle failed: " + e, "Retry; report it if it persists.", null);
            }
        };
        return McpServerFeatures.SyncToolSpecification.builder().tool(tool).callHandler(call).build();
    }

    private McpSchema.CallToolResult sendMessage(FrontConnection conn, Agent me, Deliveries.RequestRef request, Map<String, Object> args) {
        Draft d = Draft.of(str(args, "body"), str(args, "wake"), str(args, "reply_to"),
                str(args, "source_message_id"), args.get("action_required") instanceof Boolean b ? b : null);
        String target = str(args, "target");
        if ("*".equals(target == null ? null : target.strip())) return ToolResults.ok(messaging.sending().broadcast(me, d));
        return ToolResults.ok(messaging.sending().send(me, target, d));
    }

    private McpSchema.CallToolResult readSession(FrontConnection conn, Agent me, Deliveries.RequestRef request, Map<String, Object> args) {
        return ToolResults.ok(reads.read(me, me.projectRoot(), new ReadSessions.Request(str(args, "target"), str(args, "mode"),
                num(args, "limit"), num(args, "max_bytes"), Boolean.TRUE.equals(args.get("include_timestamps")),
                Boolean.TRUE.equals(args.get("include_tools")), num(args, "pane_lines"), num(args, "pane_max_chars"))));
    }

    private static Number num(Map<String, Object> args, String key) {
        return args.get(key) instanceof Number n ? n : null;
    }

    /** Checks arguments against a tool's input schema as a call does; for {@link JsonWarmUp}. */
    static boolean validate(ToolContract c, Map<String, Object> args) {
        return VALIDATOR.validate(parseSchema(McpJsonDefaults.getMapper(), c), args == null ? Map.of() : args).valid();
    }

    private static Map<String, Object> parseSchema(McpJsonMapper mapper, ToolContract c) {
        try {
            return mapper.readValue(c.inputSchema(), new io.modelcontextprotocol.json.TypeRef<Map<String, Object>>() {});
        } catch (java.io.IOException e) {
            throw new IllegalStateException("the input schema of " + c.name() + " is not valid JSON", e);
        }
    }

    /** The strings of an array argument (the schema has checked the item types). */
    private static List<String> strings(Map<String, Object> args, String key) {
        if (!(args.get(key) instanceof List<?> l)) return null;
        List<String> out = new ArrayList<>(l.size());
        for (Object o : l) if (o instanceof String s) out.add(s);
        return out;
    }

    private static String str(Map<String, Object> args, String key) {
        return args.get(key) instanceof String s ? s : null;
    }

    private McpSchema.CallToolResult listProjectSessions(FrontConnection conn, Agent me, Deliveries.RequestRef request, Map<String, Object> args) {
        String project = me.projectRoot();
        boolean inferred = true;
        Object requested = args.get("project_root");
        if (requested instanceof String r && !r.isBlank()) {
            if (!r.startsWith("/")) {
                throw new HuddleError("invalid-argument", "project_root must be an absolute path", "Pass an absolute directory path, or omit it.");
            }
            String resolved = registry.projectOf(r);
            if (!resolved.equals(project) && !allowCrossProject) {
                throw new HuddleError("cross-project", "project_root " + r + " belongs to the project " + resolved
                        + ", not to yours (" + project + "); agents only see their own project", "Omit project_root to list your project. A human can allow"
                        + " cross-project visibility with \"" + Settings.ALLOW_CROSS_PROJECT.key() + "\": true in $HUDDLE_HOME/config.json.");
            }
            project = resolved;
            inferred = false;
        }
        boolean includeOffline = !Boolean.FALSE.equals(args.get("include_offline"));
        Instant now = clock.instant();
        List<Views.SessionView> sessions = registry.inProject(project, includeOffline).stream()
                .map(a -> SessionViews.session(a, me.agentId(), now)).toList();
        boolean peerWords = sessions.stream().anyMatch(v -> !v.isMe() && (v.purpose() != null || v.name() != null));
        return ToolResults.ok(new Views.ListSessionsResult(true, peerWords ? TrustFrame.FOR_PEER_STATE : null, project, inferred,
                me.bound() ? me.sessionId() : me.handle(), sessions.size(), sessions));
    }

    private McpSchema.CallToolResult setMyState(FrontConnection conn, Agent me, Deliveries.RequestRef request, Map<String, Object> args) {
        String purpose = args.get("purpose") instanceof String s ? s : null;
        String name = args.get("name") instanceof String s ? s : null;
        Boolean readable = args.get("readable") instanceof Boolean b ? b : null;
        if (purpose == null && name == null && readable == null) {
            throw new HuddleError("invalid-argument", "nothing to set", "Pass purpose, name or readable.");
        }
        StateChange change = registry.setState(conn, purpose, name, readable);
        Agent a = change.agent();
        return ToolResults.ok(new Views.SetStateResult(true, new Views.StateView(a.purpose(), a.name(),
                SessionViews.iso(a.stateUpdatedAt()), change.readable() ? null : false), change.tookNameFrom()));
    }

    private McpSchema.CallToolResult getMySession(FrontConnection conn, Agent me, Deliveries.RequestRef request, Map<String, Object> args) {
        return ToolResults.ok(SessionViews.mySession(me, conn, registry.connectedFronts(me.agentId())));
    }

    private McpSchema.CallToolResult claimSession(FrontConnection conn, Agent me, Deliveries.RequestRef request, Map<String, Object> args) {
        String previous = me.sessionId();
        Agent a = registry.claim(conn, (String) args.get("session_id"));
        String note = previous != null && !previous.equals(a.sessionId())
                ? "this agent process was bound to " + previous + " before; that session stays in the registry" : null;
        return ToolResults.ok(new Views.ClaimResult(true, a.sessionId(), previous, a.binding().wireName(), note));
    }
}
