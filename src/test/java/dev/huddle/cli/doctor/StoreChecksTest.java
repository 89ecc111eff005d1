package dev.huddle.cli.doctor;

import dev.huddle.agents.doctor.Check;
import dev.huddle.hub.TeamStore;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** What doctor says of a shared store it reached: TLS across a network, the schema, the role. */
class StoreChecksTest {
    private static TeamStore.Found found(String host, boolean ssl, String sslmode, String schema, String machine, boolean restricted) {
        boolean verified = "verify-full".equals(sslmode) || "verify-ca".equals(sslmode);
        return new TeamStore.Found("postgresql://r@" + host + ":5432/t", host, "t", "16.4", true, 14, 14, schema, "r", machine, restricted,
                ssl, ssl ? "TLSv1.3" : null, sslmode, verified, "verify-full".equals(sslmode), verified ? "/etc/ca.pem" : null, host.startsWith("127."), null, null);
    }

    @Test
    void tlsIsWantedAcrossANetworkWithTheServersCertificateChecked() {
        assertThat(StoreChecks.tls(found("db.example.com", true, "verify-full", "current", null, false)).status()).isEqualTo(Check.Status.OK);
        Check plain = StoreChecks.tls(found("db.example.com", false, null, "current", null, false));
        assertThat(plain.status()).isEqualTo(Check.Status.WARN);
        assertThat(plain.hint()).contains("sslmode=verify-full");
        Check unchecked = StoreChecks.tls(found("db.example.com", true, "require", "current", null, false));
        assertThat(unchecked.status()).isEqualTo(Check.Status.WARN);
        assertThat(unchecked.detail()).contains("not checked").contains("sslmode require");
        assertThat(StoreChecks.tls(found("127.0.0.1", false, null, "current", null, false)).status()).as("loopback").isEqualTo(Check.Status.OK);
        Check full = StoreChecks.tls(found("127.0.0.1", true, "verify-full", "current", null, false));
        assertThat(full.detail()).as("verified on loopback too").contains("TLSv1.3").contains("verified").contains("/etc/ca.pem").contains("names 127.0.0.1");
        Check caOnly = StoreChecks.tls(found("db.example.com", true, "verify-ca", "current", null, false));
        assertThat(caOnly.status()).as("verify-ca leaves the name unchecked").isEqualTo(Check.Status.WARN);
        assertThat(caOnly.detail()).contains("not checked").contains("pose as db.example.com");
        assertThat(caOnly.hint()).contains("verify-full");
    }

    @Test
    void aMachinesRoleOnASchemaBehindFailsNamingTheAdministratorsCommand() {
        Check behind = StoreChecks.server(found("db", true, "verify-full", "behind", "laptop", true));
        assertThat(behind.status()).isEqualTo(Check.Status.FAIL);
        assertThat(behind.hint()).contains("huddle team migrate");
        assertThat(StoreChecks.server(found("db", true, "verify-full", "behind", null, false)).status()).isEqualTo(Check.Status.OK);
        assertThat(StoreChecks.server(found("db", true, "verify-full", "newer", null, false)).status()).isEqualTo(Check.Status.FAIL);
        assertThat(StoreChecks.role(found("db", true, "verify-full", "current", "laptop", true)).detail()).contains("machine laptop's own role");
        Check unlisted = StoreChecks.role(found("db", true, "verify-full", "current", null, true));
        assertThat(unlisted.status()).isEqualTo(Check.Status.FAIL);
        assertThat(unlisted.hint()).contains("huddle team admin-sql");
    }
}
