package dev.huddle.agents.doctor;

import java.util.List;

/**
 * What {@code huddle doctor} asks of one client, beside the checks every client gets from the shared machinery (its
 * hooks: installed, current, able to reach this hub): where huddle is registered as its MCP server, and any check of
 * its own (whether the client trusts the hooks is {@code AgentClient.hookTrust}). Each {@code agents.<client>} package implements it; the doctor only iterates.
 */
public interface ClientDoctor {
    /** Where huddle is registered as the client's MCP server, and with which command, as its files say. Only reads. */
    Registration registration(DoctorContext ctx);

    /** Checks of the client's own, reported after its registration and its hooks (each named after the client). */
    default List<Check> checks(DoctorContext ctx) {
        return List.of();
    }
}
