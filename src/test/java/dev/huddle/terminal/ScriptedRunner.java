package dev.huddle.terminal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** A {@link CommandRunner} that records every argv (and stdin) and answers from a script. */
final class ScriptedRunner implements CommandRunner {
    record Call(List<String> argv, String stdin) {
        String line() {
            return String.join(" ", argv);
        }
    }

    final List<Call> calls = new ArrayList<>();
    private final Function<Call, Result> script;

    ScriptedRunner(Function<Call, Result> script) {
        this.script = script;
    }

    @Override
    public synchronized Result run(List<String> argv, String stdin, Duration timeout) {
        Call c = new Call(List.copyOf(argv), stdin);
        calls.add(c);
        return script.apply(c);
    }

    static Result ok(String out) {
        return new Result(0, out, "");
    }

    List<String> lines() {
        return calls.stream().map(Call::line).toList();
    }
}
