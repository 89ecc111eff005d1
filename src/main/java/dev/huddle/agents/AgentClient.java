package dev.huddle.agents;

import dev.huddle.agents.doctor.ClientDoctor;
import dev.huddle.agents.transcript.TranscriptFormat;
import dev.huddle.core.identity.ClientType;
import dev.huddle.terminal.Composer;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything one agent client does its own way, behind one contract the hub and setup call: who it is, how it tells
 * its session id, its hooks and their output schema, its edit and shell tools, its transcripts, where its settings
 * live (and what the doctor reads there), its terminal composer and the keystroke-free wake routes it offers. One implementation per
 * {@code agents.<client>} package; {@link AgentClients} finds them. Adding a client is adding such a package.
 */
public interface AgentClient {
    /** The short name in hook URLs and on the command line ({@code claude}). */
    HookClient id();

    /** The client as huddle names it in results and rows ({@code claude-code}). */
    ClientType type();

    /** The client's name for people ({@code Claude Code}). */
    String displayName();

    // ---- identity ----

    /** Whether the MCP {@code clientInfo.name} of {@code initialize} (lower-cased) is this client's. */
    boolean namedBy(String clientInfoName);

    /** Whether the environment the agent gave its front shows this client. */
    boolean detectedIn(Map<String, String> frontEnv);

    /** The session id the front's environment carries, if this client puts it there (unvalidated). */
    default Optional<String> sessionFromEnv(Map<String, String> frontEnv) {
        return Optional.empty();
    }

    /** The session id a tool call's {@code _meta} carries, if this client puts it there (unvalidated). */
    default Optional<String> sessionFromToolMeta(Map<String, Object> meta) {
        return Optional.empty();
    }

    /**
     * Whether one agent process of this client may host several sessions, each with its own front (Codex runs the
     * threads of every TUI of one {@code CODEX_HOME} in one {@code app-server}).
     */
    default boolean hostsSeveralSessions() {
        return false;
    }

    /** How the agent can look up its own session id in its shell tool, for an error that asks it to check ("`echo $X` (Client)"). */
    default Optional<String> sessionIdLookup() {
        return Optional.empty();
    }

    /** What an agent of this client that huddle could not bind should do ({@code get_my_session}'s next step). */
    default BindingAdvice bindingAdvice() {
        return BindingAdvice.UNKNOWN_CLIENT;
    }

    // ---- hooks ----

    /** The hooks huddle installs for this client, in order. */
    List<HookSpec> hooks();

    /** The hook of endpoint {@code endpoint} (the event name, or {@code Rewake}; exact, case-sensitive). */
    default Optional<HookSpec> hook(String endpoint) {
        return hooks().stream().filter(s -> s.endpoint().equals(endpoint)).findFirst();
    }

    /**
     * Whether the client will run huddle's installed hooks, where it runs only those its user trusted (Codex's hook
     * review); empty where it runs every installed hook. Reads the client's files only.
     */
    default Optional<HookTrust> hookTrust(Path home, Map<String, String> env, Path projectRoot) {
        return Optional.empty();
    }

    /** What its hooks print. */
    HookReplies replies();

    /** The files a tool call edits, as its hook names them: empty for any other tool. */
    List<String> editedFiles(HookPayload payload);

    /**
     * Whether the client fires its tool-done hook ({@link HookEvent#TOOL_DONE}) after this call. Where it does not
     * (Codex runs a shell {@code apply_patch <<'EOF'} itself and fires no PostToolUse), the files {@link #editedFiles}
     * names at the tool hook are recorded as being edited at the agent's next event.
     */
    default boolean reportsToolDone(HookPayload payload) {
        return true;
    }

    /** Whether the tool runs shell commands. */
    boolean isShell(String toolName);

    // ---- transcripts, settings, waking ----

    /** How its transcripts are named and read; empty for a client whose transcripts huddle cannot read. */
    Optional<TranscriptFormat> transcript();

    /** Where its settings are and how huddle's entries are written there. */
    ClientSetup setup();

    /** What {@code huddle doctor} reads of it: where huddle is registered, a note on its hooks, checks of its own. */
    ClientDoctor doctor();

    /** Its terminal UI's composer: what a typed wake meets. */
    Composer composer();

    /** The keystroke-free ways to wake its idle session, best first; the terminal comes after them. */
    default List<WakeRoute> wakeRoutes() {
        return List.of();
    }
}
