package dev.huddle.hub.messaging;

import dev.huddle.core.Validation;
import dev.huddle.core.identity.Agent;
import dev.huddle.core.identity.TargetResolver;
import dev.huddle.core.messaging.Message;
import dev.huddle.core.wake.WakeRequest;
import dev.huddle.protocol.tools.Views;
import dev.huddle.store.AgentStore;
import dev.huddle.store.Transactor;

import java.util.ArrayList;
import java.util.List;

/**
 * Messages with no sender agent and no reply target: the human's ({@code huddle send}, the cockpit; origin
 * operator, woken like any message) and huddle's own notices (origin huddle, never woken).
 */
public final class Notices {
    private final AgentStore agents;
    private final Transactor tx;
    private final Outbox outbox;
    private final WakeHandOff wakes;

    Notices(AgentStore agents, Transactor tx, Outbox outbox, WakeHandOff wakes) {
        this.agents = agents;
        this.tx = tx;
        this.outbox = outbox;
        this.wakes = wakes;
    }

    /** A message from the human to one agent of {@code project} (or, with {@code all}, to each online one). */
    public List<Views.SentView> sendAsOperator(String project, String target, String body, boolean all) {
        Draft d = Draft.plain(body);
        List<Agent> recipients = all
                ? agents.listProject(project, false).stream().filter(Agent::online).toList()
                : List.of(TargetResolver.resolve(target, "", project, agents.listAll(false)));
        List<Message> stored = new ArrayList<>();
        tx.inTransaction(() -> {
            for (Agent p : recipients) stored.add(outbox.insert(null, Message.Origin.OPERATOR, p, d, null, project));
        });
        List<Views.SentView> sent = new ArrayList<>();
        for (int i = 0; i < recipients.size(); i++) {
            Agent p = recipients.get(i);
            Message m = stored.get(i);
            Wakes.Outcome w = wakes.wake(m.id(), p, t -> WakeRequest.operator(t, null));
            sent.add(new Views.SentView(m.id(), p.sessionId(), p.handle(), p.name(), p.online(), null, w.status(), w.reason()));
        }
        return sent;
    }

    /**
     * A notice from huddle itself to each of {@code recipients} (no wake: it comes with the recipient's next hook or
     * read). The project's history shows it, so the human sees it too.
     */
    public void notice(String project, List<Agent> recipients, String body) {
        Draft d = Draft.plain(Validation.truncate(body, 4000));
        tx.inTransaction(() -> {
            for (Agent p : recipients) outbox.insert(null, Message.Origin.HUDDLE, p, d, null, project);
        });
    }
}
