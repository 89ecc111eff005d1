package dev.huddle.hub.control;

import dev.huddle.hub.claims.ClaimsControl;
import dev.huddle.hub.cockpit.CockpitFeed;
import dev.huddle.hub.cockpit.WebServer;
import dev.huddle.hub.identity.AgentRegistry;
import dev.huddle.hub.identity.Caller;
import dev.huddle.hub.messaging.Messaging;
import dev.huddle.hub.reading.ReadSessions;
import dev.huddle.hub.wake.RewakeWaiters;

import dev.huddle.core.HuddleError;
import dev.huddle.core.identity.Agent;
import dev.huddle.protocol.Hello;
import dev.huddle.protocol.control.ControlError;
import dev.huddle.protocol.control.ControlFailure;
import dev.huddle.protocol.control.ControlOp;
import dev.huddle.protocol.control.ControlReply;
import dev.huddle.protocol.control.ControlRequest;
import dev.huddle.protocol.control.HubStatus;
import dev.huddle.protocol.control.Pong;
import dev.huddle.protocol.control.Stopping;
import dev.huddle.protocol.json.Json;
import dev.huddle.protocol.tools.Tools;
import dev.huddle.store.StoreException;
import dev.huddle.store.WakeStore;

import java.io.IOException;
import java.time.Clock;
import java.util.function.Supplier;

/**
 * The CLI's requests ({@code kind: "control"}): decodes the hello's {@code op} and {@code args} into a
 * {@link ControlRequest} and hands it, by its type, to the handler of its concern; the reply line carries the typed
 * result, or the refusal. It also owns the web cockpit, whose page acts as the human through the same handlers.
 */
public final class ControlService {
    private final Supplier<HubStatus> hubStatus;
    private final AgentOps agents;
    private final OperatorMessages messages;
    private final CockpitOps cockpit;
    private final ReadOps reading;
    private final ClaimsControl claims;
    private final Projects projects;
    private final WebServer web;
    private final WebOps webOps;
    private final AgentRegistry registry;
    private final TeamOps team;
    /** Levels of a CLI's lineage searched for an agent: the CLI, a shell or two of the agent's tool, a script. */
    static final int AGENT_DEPTH = 8;

    public ControlService(Supplier<HubStatus> hubStatus, AgentRegistry registry, Messaging messaging, WakeStore wakes,
                          RewakeWaiters rewake, ReadSessions reads, CockpitFeed feed, ClaimsControl claims, TeamOps team, Clock clock) {
        Projects projects = new Projects(registry);
        this.registry = registry;
        this.team = team;
        this.hubStatus = hubStatus;
        this.agents = new AgentOps(registry, messaging.history(), wakes, rewake, projects, clock);
        this.messages = new OperatorMessages(messaging.notices(), messaging.sending(), messaging.history(), registry, projects);
        this.cockpit = new CockpitOps(feed, projects);
        this.reading = new ReadOps(reads, projects);
        this.claims = claims;
        this.projects = projects;
        this.web = new WebServer(feed, messages); // huddle web starts it on demand
        this.webOps = new WebOps(web, projects);
    }

    /** The web cockpit ({@code huddle web}): the hub stops it, and counts its pages as activity. */
    public WebServer web() {
        return web;
    }

    /**
     * The reply line to a control hello from {@code caller}. The CLI acts as the human, unless it runs inside an agent's
     * process tree (the agent's shell tool): then it acts for that agent, as its MCP tools would (its sends come from it,
     * its reads honour peers' opt-outs) and may not act as the human ({@code release}). Never throws: any failure
     * becomes a refusal the CLI can show.
     */
    public String handle(Hello hello, Caller caller) {
        try {
            ControlRequest<?> request = request(hello);
            if (request instanceof ControlRequest.Ping || request instanceof ControlRequest.Status || request instanceof ControlRequest.Stop
                    || request instanceof ControlRequest.TeamStatus) {
                // they act for nobody: answered without looking the caller up, so also while the store cannot be read
                return ControlReply.ok(dispatch(request, hello.cwd(), null));
            }
            Agent acting = registry.agentOf(caller, AGENT_DEPTH).orElse(null);
            if (acting != null && actsForAnAgent(request) && registry.insideSharedProcess(caller, AGENT_DEPTH)) {
                throw new ControlFailure(new ControlError("forbidden", "this command runs inside an agent process that hosts several"
                        + " sessions (" + acting.handle() + " among them), so huddle cannot tell for which it acts, and takes it for none,"
                        + " the human's included", "From an agent, use huddle's MCP tools; as the human, run it from a terminal of your own.",
                        null));
            }
            return ControlReply.ok(dispatch(request, hello.cwd(), acting));
        } catch (RuntimeException e) {
            return ControlReply.refused(refusal(e));
        }
    }

    /** The one streaming request: {@code cockpit_watch} keeps the connection and writes a line per snapshot. */
    public boolean streams(Hello hello) {
        return ControlOp.COCKPIT_WATCH.wireName().equals(hello.op());
    }

    /** Serves {@code cockpit_watch} on {@code out} until the watcher or the hub goes away. */
    public void stream(Hello hello, LineWriter out) throws IOException {
        try {
            cockpit.stream((ControlRequest.CockpitWatch) request(hello), hello.cwd(), out);
        } catch (RuntimeException e) {
            out.write(ControlReply.refused(refusal(e)));
        }
    }

    private static ControlRequest<?> request(Hello hello) {
        String name = hello.op() == null ? "" : hello.op();
        ControlOp op = ControlOp.byWireName(name)
                .orElseThrow(() -> new ControlFailure("unknown-op", "unknown control operation '" + name + "'"));
        return Json.fromTree(hello.args(), op.requestType());
    }

    /** The operations that act as the human unless an agent runs them: then they act for it, or not at all. */
    private static boolean actsForAnAgent(ControlRequest<?> request) {
        return request instanceof ControlRequest.Send || request instanceof ControlRequest.Nudge || request instanceof ControlRequest.Read
                || request instanceof ControlRequest.Release;
    }

    private Object dispatch(ControlRequest<?> request, String cwd, Agent acting) {
        if (acting != null) {
            switch (request) {
                case ControlRequest.Send s -> { return messages.sendFor(acting, s); }
                case ControlRequest.Nudge n -> { return messages.nudgeFor(acting, n); }
                case ControlRequest.Read r -> { return reading.readFor(acting, r); }
                case ControlRequest.Release r -> throw new ControlFailure("forbidden", "huddle release acts as the human, and this"
                        + " command runs inside agent " + acting.handle() + "'s process tree; an agent releases its own claims with "
                        + Tools.RELEASE_PATHS.name() + ", or asks the holder");
                default -> { }
            }
        }
        return switch (request) {
            case ControlRequest.Ping p -> new Pong(true);
            case ControlRequest.Status s -> hubStatus.get();
            case ControlRequest.Stop s -> new Stopping(true); // HubServer stops the hub once this reply is out
            case ControlRequest.Ps ps -> agents.ps(ps, cwd);
            case ControlRequest.Diagnose d -> agents.diagnose(d);
            case ControlRequest.ReportStatus r -> agents.statusReport(r, cwd);
            case ControlRequest.Send s -> messages.send(s, cwd);
            case ControlRequest.Nudge n -> messages.nudge(n, cwd);
            case ControlRequest.Log l -> messages.log(l, cwd);
            case ControlRequest.Cockpit c -> cockpit.snapshot(c, cwd);
            case ControlRequest.CockpitWatch w -> cockpit.snapshot(new ControlRequest.Cockpit(w.project(), w.all(), w.maxObligationAgeMs()), cwd);
            case ControlRequest.Read r -> reading.read(r, cwd);
            case ControlRequest.Claims c -> claims.list(c.all() ? null : projects.of(c.project(), cwd));
            case ControlRequest.Release r -> claims.release(projects.of(r.project(), cwd), cwd, r.targets());
            case ControlRequest.Web w -> webOps.start(w, cwd);
            case ControlRequest.WebStop w -> webOps.stop();
            case ControlRequest.TeamStatus t -> team.status();
        };
    }

    private static ControlError refusal(RuntimeException e) {
        if (e instanceof ControlFailure f) return f.error();
        if (e instanceof StoreException s) return new ControlError(s.code(), s.getMessage(), s.hint(), null); // full disk, corrupt file
        return new ControlError(e instanceof HuddleError h ? h.code() : "internal", String.valueOf(e.getMessage()));
    }
}
