package dev.runbook.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.runbook.demo.MrsHostTree;
import dev.runbook.engine.audit.RunSummary;
import dev.runbook.fixtures.LabUser;
import dev.runbook.fixtures.OpenSshServer;
import dev.runbook.fixtures.SshLab;
import dev.runbook.fixtures.SshLabExtension;
import dev.runbook.fixtures.TestUser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code runbook audit report} opened in the real headless Chromium: for ALM-45654 run for real
 * over SSH against the sshd lab, and for a failed, an escalated and a paused run of local shell
 * runbooks. The DOM must hold the decisions, answers and outputs (hostile output escaped, never
 * interpreted), the page must log nothing to the console (no script error, no blocked load: its
 * Content-Security-Policy forbids both), and the screenshot must not be blank. Screenshots are kept
 * in {@code target/report-screenshots/} to look at.
 */
class AuditReportChromiumIT {

  private static final Path SHOTS = Path.of("target/report-screenshots").toAbsolutePath();

  /** Output a step could print to fool a reader: markup, a screen clear, a window title, bidi. */
  private static final String HOSTILE =
      "printf '<script>alert(1)</script>\\n\\033[2J\\033]0;pwned\\007RESOLVED"
          + " \\342\\200\\256evil\\n'";

  @TempDir Path tmp;

  @BeforeAll
  static void needsChromium() throws IOException {
    assumeTrue(HeadlessChromium.installed(), "Debian's chromium (.ci/run installs it)");
    Files.createDirectories(SHOTS);
  }

  @AfterEach
  void forgetSshConfig() {
    System.clearProperty("runbook.ssh.config");
  }

  private Cli cli(Path state, Path runbooks, String... args) {
    return CliRun.state(state).runbooks(runbooks).with(args).inProcess();
  }

  private Path runbooks(String yaml) throws IOException {
    Path dir = Files.createDirectories(tmp.resolve("runbooks"));
    Files.writeString(dir.resolve("t.yaml"), yaml);
    return dir;
  }

  /** The report of the only run, as HTML and Markdown, after checking both were written. */
  private Path report(Path state, Path runbooks, String name) throws IOException {
    String run = RunSummary.runs(state).get(0).runId();
    Path html = tmp.resolve(name + ".html");
    Cli written = cli(state, runbooks, "audit", "report", run, "-o", html.toString());
    assertThat(written.exitCode()).as(written.err()).isZero();
    assertThat(written.err()).contains("wrote " + html + " (OK)");
    Cli md = cli(state, runbooks, "audit", "report", run, "--format", "md");
    assertThat(md.exitCode()).as(md.err()).isZero();
    assertThat(md.out()).containsPattern("\\*\\*Verification: OK\\*\\* \\(\\d+ lines; signature: ");
    Files.writeString(tmp.resolve(name + ".md"), md.out());
    return html;
  }

  /** Opens the page in Chromium: its DOM, checked for silence on the console and a real picture. */
  private String open(Path html, String name) throws Exception {
    HeadlessChromium chromium = new HeadlessChromium(tmp);
    HeadlessChromium.Result dom = chromium.dumpDom(html);
    assertThat(dom.console()).as("console messages").isEmpty();
    Path png = SHOTS.resolve(name + ".png");
    HeadlessChromium.Result shot = chromium.screenshot(html, png, 1280, 2000);
    assertThat(shot.console()).isEmpty();
    HeadlessChromium.Pixels pixels = HeadlessChromium.pixels(png);
    assertThat(pixels.width()).isEqualTo(1280);
    assertThat(pixels.colours()).as("distinct colours in " + png).isGreaterThan(40);
    assertThat(pixels.notBackground()).as("share of drawn pixels in " + png).isGreaterThan(0.05);
    return dom.stdout();
  }

  @Test
  void aFailedRunShowsItsDecisionItsFailureAndItsOutputEscaped() throws Exception {
    Path runbooks =
        runbooks(
            """
            runbook: T-FAILED
            title: Renew a certificate that is about to expire
            alarms: [ALM-9001]
            params:
              Host: {type: host, default: node-1}
            steps:
              - id: read-state
                ref: "2"
                shell: |
                  %s; seq 1 40
              - id: check
                ref: "3"
                shell: echo 12
                if: int(result.stdout.trim()) > 30
                yes: done
                no: renew
              - id: renew
                ref: "4"
                shell: echo renewing; echo 'permission denied' >&2; exit 3
                changes: true
              - {id: done, end: resolved}
            """
                .formatted(HOSTILE));
    Path state = tmp.resolve("state");
    assertThat(cli(state, runbooks, "run", "T-FAILED").exitCode()).isEqualTo(ExitCodes.FAILED);
    Path html = report(state, runbooks, "failed");
    String page = Files.readString(html, StandardCharsets.UTF_8);
    assertThat(page).doesNotContain("<script").doesNotContain("\u001b").doesNotContain("\u202e");
    assertThat(page).doesNotContain("http://").doesNotContain("https://");

    String dom = open(html, "failed");
    assertThat(dom)
        .contains("Verified: the trail is whole and unedited")
        .contains("int(result.stdout.trim()) &gt; 30</code> = <b>false</b> → <b>renew</b>")
        .contains("result.stdout = 12")
        .contains("<b>non-zero-exit</b>: exited with status 3")
        .contains("err| permission denied")
        .contains("out| &lt;script&gt;alert(1)&lt;/script&gt;")
        .contains("<span class=\"ctl\">\\x1b</span>[2J")
        .contains("]0;pwned<span class=\"ctl\">\\x07</span>RESOLVED")
        .contains("<span class=\"ctl\">\\u202e</span>evil")
        .contains("<details open=\"\"><summary>the whole output")
        .contains("This output holds 4 terminal control or invisible characters");
    assertThat(dom).contains("class=\"n visited failed\"");
    String md = Files.readString(tmp.resolve("failed.md"));
    assertThat(md)
        .contains("- decided `int(result.stdout.trim()) > 30` = **false** → **renew**")
        .contains("- failure **non-zero-exit**: exited with status 3")
        .doesNotContain("\u001b");
    // The output file keeps the bytes exactly as the command printed them.
    Path log = RunSummary.runs(state).get(0).outputs().resolve("read-state@1.log");
    assertThat(Files.readString(log)).contains("\u001b[2J\u001b]0;pwned\u0007RESOLVED \u202eevil");
  }

  @Test
  void anEscalatedRunShowsWhoAnsweredWhatAndHow() throws Exception {
    Path runbooks =
        runbooks(
            """
            runbook: T-ESCALATED
            title: The alarm persists after the fix
            alarms: [ALM-9002]
            steps:
              - id: apply-fix
                ref: "6"
                shell: echo applied the fix
              - id: still-raised
                ref: "7"
                ask: Is the alarm still raised one minute later?
                yes: collect-logs
                no: done
              - id: collect-logs
                ref: "10-13"
                manual: Download the logs of the last 10 minutes and give them to O&M.
                next: escalate
              - {id: escalate, end: escalated, message: handed over to O&M with the logs}
              - {id: done, end: resolved}
            """);
    Path state = tmp.resolve("state");
    Cli run =
        cli(
            state,
            runbooks,
            "run",
            "T-ESCALATED",
            "--answer",
            "still-raised=yes",
            "--answer",
            "collect-logs=yes");
    assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(ExitCodes.ESCALATED);
    String dom = open(report(state, runbooks, "escalated"), "escalated");
    assertThat(dom)
        .contains("answered <b>yes</b> via --answer")
        .contains("Is the alarm still raised one minute later?")
        .contains("<b>ESCALATED</b> handed over to O&amp;M with the logs")
        .contains("out| applied the fix")
        .contains(">10-13</span>");
    assertThat(Files.readString(tmp.resolve("escalated.md")))
        .contains("answered **yes** via --answer: Is the alarm still raised one minute later?");
  }

  @Test
  void aPausedRunShowsWhereItWaits() throws Exception {
    Path runbooks =
        runbooks(
            """
            runbook: T-PAUSED
            title: Wait for off-peak hours before renewing
            alarms: [ALM-9003]
            steps:
              - id: check
                ref: "1"
                shell: echo 'certificate expires in 10 days'
              - id: off-peak
                ref: "5"
                ask: Is it off-peak now (no jobs are submitted)?
                yes: done
                no: done
              - {id: done, end: resolved}
            """);
    Path state = tmp.resolve("state");
    assertThat(cli(state, runbooks, "run", "T-PAUSED").exitCode()).isEqualTo(ExitCodes.PAUSED);
    String dom = open(report(state, runbooks, "paused"), "paused");
    assertThat(dom)
        .contains("<b>PAUSED</b> paused at off-peak@1")
        .contains("Is it off-peak now (no jobs are submitted)?")
        .contains("out| certificate expires in 10 days")
        .contains("not ended");
  }

  /** ALM-45654 as the demo runs it, but against the real sshd lab. */
  @Nested
  @ExtendWith(SshLabExtension.class)
  @LabUser("omm")
  class OverRealSsh {

    @Test
    void theAlm45654RunShowsWhereEachStepRan(SshLab lab) throws Exception {
      OpenSshServer active = lab.start();
      OpenSshServer standby = lab.start();
      Path config = lab.sshConfig(Map.of("mrs-node-1", active, "mrs-node-2", standby));
      System.setProperty("runbook.ssh.config", config.toString());
      MrsHostTree tree = MrsHostTree.create(lab.dir().resolve("Bigdata"), 10);
      TestUser.own(tree.home(), lab.user());
      Path state = lab.dir().resolve("state");
      Cli run =
          cli(
              state,
              Cli.LIBRARY,
              "run",
              "ALM-45654",
              "-p",
              "HostName=mrs-node-1",
              "-p",
              "StandbyHost=mrs-node-2",
              "-p",
              "BIGDATA_HOME=" + tree.home(),
              "-p",
              "ClearWait=1s",
              "--answer",
              "find-alarm-host=yes",
              "--answer",
              "wait-for-off-peak=yes",
              "--answer",
              "periodic-check=no");
      assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(ExitCodes.OK);
      String dom = open(report(state, Cli.LIBRARY, "alm-45654"), "alm-45654");
      assertThat(dom)
          .contains("Flink HA certificate is about to expire")
          .contains("omm@" + active.address() + ":" + active.port() + " (mrs-node-1)")
          .contains("Generated a new HA certificate on " + active.address())
          .contains("<b>RESOLVED</b>")
          .contains("Source document")
          .contains("class=\"e taken\"");
      Cli byAddress = cli(state, Cli.LIBRARY, "audit", "list", "--host", active.address());
      assertThat(byAddress.out()).as("--host finds the run by where it ran").contains("ALM-45654");
    }
  }
}
