package dev.huddle.core.identity;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ProjectIdentityTest {
    @ParameterizedTest
    @ValueSource(strings = {
            "git@github.com:acme/payments.git",
            "git@github.com:acme/payments",
            "github.com:acme/payments.git/",
            "ssh://git@github.com/acme/payments.git",
            "ssh://git@github.com:22/acme/payments.git",
            "git+ssh://git@GitHub.com/acme/payments",
            "https://github.com/acme/payments.git",
            "https://ana:token@github.com/acme/payments/",
            "https://github.com:443/acme//payments.git",
            "  https://github.com/acme/payments  "})
    void everySpellingOfOneRemoteIsOneName(String url) {
        assertThat(ProjectIdentity.normalizeRemote(url)).contains("github.com/acme/payments");
    }

    @Test
    void aPortOtherThanTheSchemesOwnIsPartOfTheNameAndPathsKeepTheirCase() {
        assertThat(ProjectIdentity.normalizeRemote("ssh://git@git.corp:2222/Team/Repo.git")).contains("git.corp:2222/Team/Repo");
        assertThat(ProjectIdentity.normalizeRemote("https://git.corp/Team/Repo")).contains("git.corp/Team/Repo");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/srv/git/payments.git", "./payments", "../payments.git", "~/repos/payments", "file:///srv/git/payments.git",
            "", "https://github.com/", "git@github.com:"})
    void localPathsAndEmptyPathsNameNothingShared(String url) {
        assertThat(ProjectIdentity.normalizeRemote(url)).isEmpty();
    }

    @Test
    void theOriginRemoteOfAGitConfigNamesTheProject() {
        String config = """
                [core]
                \trepositoryformatversion = 0
                [remote "upstream"]
                \turl = git@github.com:upstream/payments.git
                [remote "origin"]
                \turl = "git@github.com:acme/payments.git" ; the team's fork
                \tfetch = +refs/heads/*:refs/remotes/origin/*
                [branch "main"]
                \tremote = origin
                """;
        assertThat(ProjectIdentity.fromGitConfig(config))
                .contains(new ProjectIdentity.Name("github.com/acme/payments", ProjectIdentity.Source.ORIGIN));
    }

    @Test
    void anIdTheTeamSetWinsOverTheOriginAndMustBeASaneId() {
        String origin = "[remote \"origin\"]\n\turl = https://github.com/acme/payments\n";
        assertThat(ProjectIdentity.fromGitConfig(origin + "[huddle]\n\tproject = acme-payments\n"))
                .contains(new ProjectIdentity.Name("acme-payments", ProjectIdentity.Source.CONFIGURED));
        assertThat(ProjectIdentity.fromGitConfig(origin + "[HUDDLE]\n\tProject = acme-payments # set by ana\n"))
                .map(ProjectIdentity.Name::value).contains("acme-payments");
        // an id with controls or spaces is ignored, and the origin names the project
        assertThat(ProjectIdentity.fromGitConfig(origin + "[huddle]\n\tproject = \"evil\u001b[2J id\"\n"))
                .map(ProjectIdentity.Name::value).contains("github.com/acme/payments");
    }

    @Test
    void aRepositoryWithoutOriginOrIdHasNoSharedName() {
        assertThat(ProjectIdentity.fromGitConfig("[core]\n\tbare = false\n[remote \"backup\"]\n\turl = /mnt/backup/x.git\n")).isEmpty();
        assertThat(ProjectIdentity.fromGitConfig("[remote \"origin\"]\n\turl = /srv/git/payments.git\n")).isEmpty();
        assertThat(ProjectIdentity.fromGitConfig("garbage [ without = sections\n\u0000")).isEmpty();
    }
}
