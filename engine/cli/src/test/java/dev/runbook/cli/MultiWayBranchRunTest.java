package dev.runbook.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runbook.engine.audit.AuditEvent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A multi-way branch through the real CLI and the real {@code /bin/sh}: a switch on what a command
 * printed, a person's case with a note, an answer that is no case refused up front, a dry run
 * following an assumed case, and the graph.
 */
class MultiWayBranchRunTest {

  private static final String RUNBOOK =
      """
      runbook: TIME-SERVICE
      title: ntp, chrony or both
      params:
        Services: {type: string, required: true, doc: what the node runs (a stand-in for systemctl)}
        Out: {type: path, required: true}
      steps:
        - id: detect
          ref: "3"
          shell: printf '%s\\n' "${params.Services}"
          changes: false
        - id: which-service
          ref: "4"
          switch: "steps['detect'].stdout == 'ntpd chronyd' ? 'both' : steps['detect'].stdout"
          cases:
            ntpd: use-ntp
            chronyd: use-chrony
            both: {end: escalated, message: ntp and chrony both run}
          default: which-os
        - {id: use-ntp, ref: "5", shell: "echo ntp > ${params.Out}", changes: true, next: done}
        - {id: use-chrony, ref: "8", shell: "echo chrony > ${params.Out}", changes: true, next: done}
        - id: which-os
          ref: "10"
          ask: Which operating system does the node run?
          cases: {SUSE: use-ntp, RHEL: use-chrony, EulerOS: use-chrony}
          default: {end: escalated, message: no variant of the procedure for this OS}
        - {id: done, end: resolved}
      """;

  @TempDir Path tmp;
  private TempLibrary library;
  private Path out;

  @BeforeEach
  void library() {
    library = new TempLibrary(tmp);
    library.write("time-service.yaml", RUNBOOK);
    out = tmp.resolve("out.txt");
  }

  private Cli run(String services, String... more) {
    String[] args = new String[6 + more.length];
    System.arraycopy(
        new String[] {"run", "TIME-SERVICE", "-p", "Services=" + services, "-p", "Out=" + out},
        0,
        args,
        0,
        6);
    System.arraycopy(more, 0, args, 6, more.length);
    return library.cli(args);
  }

  @Test
  void theSwitchFollowsWhatTheCommandPrinted() throws IOException {
    Cli cli = run("chronyd");
    assertThat(cli.exitCode()).as(cli.out() + cli.err()).isEqualTo(ExitCodes.OK);
    assertThat(Files.readString(out)).isEqualTo("chrony\n");
    assertThat(cli.out()).contains("'chronyd'").contains("use-chrony");
    AuditEvent.Decision decision = library.events(AuditEvent.Decision.class).get(0);
    assertThat(decision.chosen()).isEqualTo("chronyd");
    assertThat(decision.branch()).isEqualTo("use-chrony");
    assertThat(decision.values().get("steps.detect").toString()).contains("stdout=chronyd");
  }

  @Test
  void bothServicesEndTheRunEscalated() {
    Cli cli = run("ntpd chronyd");
    assertThat(cli.exitCode()).as(cli.out() + cli.err()).isEqualTo(ExitCodes.ESCALATED);
    assertThat(cli.out()).contains("ntp and chrony both run");
    assertThat(out).doesNotExist();
  }

  @Test
  void aPersonPicksACaseWithANote() throws IOException {
    Cli cli =
        run("timesyncd", "--answer", "which-os=rhel", "--note", "which-os=from /etc/os-release");
    assertThat(cli.exitCode()).as(cli.out() + cli.err()).isEqualTo(ExitCodes.OK);
    assertThat(Files.readString(out)).isEqualTo("chrony\n");
    AuditEvent.Answered answer = library.events(AuditEvent.Answered.class).get(0);
    assertThat(answer.answer()).isEqualTo("RHEL");
    assertThat(answer.note()).isEqualTo("from /etc/os-release");
    assertThat(library.events(AuditEvent.Decision.class).get(0).branch()).isEqualTo("which-os");
  }

  @Test
  void anAnswerThatIsNoCaseRefusesTheRunAndOtherTakesTheDefault() {
    Cli refused = run("timesyncd", "--answer", "which-os=Debian");
    assertThat(refused.exitCode()).as(refused.out() + refused.err()).isEqualTo(ExitCodes.USAGE);
    assertThat(refused.err())
        .contains(
            "--answer which-os: the answer must be one of SUSE, RHEL, EulerOS, other, not"
                + " 'Debian'");
    assertThat(library.runs()).isEmpty();
    Cli other = run("timesyncd", "--answer", "which-os=other");
    assertThat(other.exitCode()).as(other.out() + other.err()).isEqualTo(ExitCodes.ESCALATED);
    assertThat(other.out()).contains("no variant of the procedure for this OS");
  }

  @Test
  void aDryRunFollowsAnAssumedCaseAndTheGraphDrawsEachCase() {
    Cli plan =
        library.cli(
            "run",
            "TIME-SERVICE",
            "--dry-run",
            "-p",
            "Services=x",
            "-p",
            "Out=" + out,
            "--assume",
            "which-service=BOTH");
    assertThat(plan.exitCode()).as(plan.out() + plan.err()).isEqualTo(ExitCodes.OK);
    assertThat(plan.out())
        .contains("switch steps['detect'].stdout == 'ntpd chronyd' ? 'both'")
        .contains("case chronyd → use-chrony")
        .contains("default → which-os")
        .contains("The path ends: end: escalated (ntp and chrony both run)")
        .doesNotContain("[8] use-chrony");
    Cli unknown =
        library.cli(
            "run",
            "TIME-SERVICE",
            "--dry-run",
            "-p",
            "Services=x",
            "-p",
            "Out=" + out,
            "--assume",
            "which-service=chrony");
    assertThat(unknown.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(unknown.err())
        .contains(
            "--assume which-service=chrony: the answer must be one of ntpd, chronyd, both, other"
                + " (did you mean 'chronyd'?)");
    Cli graph = library.cli("graph", "TIME-SERVICE", "--format", "mermaid");
    assertThat(graph.out())
        .contains("main__which_service -->|chronyd| main__use_chrony")
        .contains("main__which_service -->|default| main__which_os")
        .contains("main__which_os -->|RHEL| main__use_chrony");
  }
}
