package dev.runbook.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runbook.fixtures.etcd.EtcdCluster;
import dev.runbook.fixtures.kubernetes.KubeRequest;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The decision tree of OCP-ETCD-REPLACE-MEMBER (2, 2.1-2.3) run by the real CLI to each of its
 * outcomes that replace nothing: the Kubernetes mock fixture's etcd CR (EtcdMembersAvailable names
 * the unhealthy member), machines, nodes and pods, read by the real kubectl as oc, decide the
 * branch, and the answers to 2's and 2.1's questions stop it before anything changes; one real
 * 3-member etcd 3.4 cluster for the class, with one member really killed (SIGKILL), shows that no
 * member was removed. The replacements themselves: {@link EtcdReplaceMemberRealEtcdIT}.
 */
class EtcdUnhealthyMemberStateRealEtcdIT {

  private static final List<String> MEMBERS = OpenShiftEtcdLab.MEMBERS;
  private static final String SICK = MEMBERS.get(0);

  // One cluster for the class: these branches only read it.
  @TempDir static Path etcdDir;
  private static EtcdCluster etcd;

  @TempDir Path tmp;
  private OpenShiftEtcdLab lab;

  @BeforeAll
  static void startEtcdAndKillOneMember() throws IOException {
    etcd = EtcdCluster.start(etcdDir, MEMBERS);
    etcd.kill(SICK);
  }

  @AfterAll
  static void stopEtcd() {
    etcd.close();
  }

  /** The cluster's objects, with {@code unhealthy} (null: none) looking as {@code how} says. */
  private void setUp(String unhealthy, OpenShiftEtcdObjects.Unhealthy how) throws IOException {
    lab = new OpenShiftEtcdLab(tmp);
    OpenShiftEtcdObjects.store(lab.fixture(), MEMBERS, unhealthy, how);
  }

  @AfterEach
  void stop() {
    if (lab != null) {
      lab.close();
    }
  }

  private CliRun.Finished replace(String... more) throws Exception {
    List<String> args = new ArrayList<>(List.of("-p", "WorkDir=" + tmp));
    args.addAll(List.of(more));
    return lab.run("OCP-ETCD-REPLACE-MEMBER", args);
  }

  /** The answers that let the replacement go on (2's certificates, 2.1's backup), and more. */
  private static String[] prerequisitesMet(String... more) {
    List<String> answers =
        new ArrayList<>(
            List.of("--answer", "certificates-valid=yes", "--answer", "backup-taken=yes"));
    for (String answer : more) {
      answers.addAll(List.of("--answer", answer));
    }
    return answers.toArray(String[]::new);
  }

  private List<String> objectRequests() {
    return lab.fixture().objectRequests().stream().map(KubeRequest::line).toList();
  }

  @Test
  void unreachableNodeExpectedBackNeedsNoReplacement() throws Exception {
    setUp(SICK, OpenShiftEtcdObjects.NODE_UNREACHABLE);

    CliRun.Finished run = replace(prerequisitesMet("expect-back=yes"));

    assertThat(run.exitCode()).as(run.terminal()).isEqualTo(ExitCodes.OK);
    assertThat(lab.finished("succeeded"))
        .contains("machine-not-running@1", "node-unreachable@1")
        .doesNotContain("node-not-ready@1");
    assertThat(lab.finish().message()).startsWith("no replacement");
    assertThat(etcd.memberIds()).containsKey(SICK);
    assertThat(objectRequests()).allMatch(r -> r.startsWith("GET "));
  }

  @Test
  void notReadyNodeTakesTheMachineBranch() throws Exception {
    setUp(SICK, OpenShiftEtcdObjects.NODE_NOT_READY);

    CliRun.Finished run = replace(prerequisitesMet("expect-back=yes"));

    assertThat(run.exitCode()).as(run.terminal()).isEqualTo(ExitCodes.OK);
    assertThat(lab.finished("succeeded"))
        .contains("node-not-ready@1", "expect-back@1")
        .doesNotContain("masters-ready@1");
    assertThat(run.stdout()).contains("(read {").contains("unhealthy-member@1");
    assertThat(etcd.memberIds()).containsKey(SICK);
  }

  @Test
  void noKnownStateEscalates() throws Exception {
    setUp(SICK, OpenShiftEtcdObjects.NOTHING_VISIBLE);

    CliRun.Finished run = replace(prerequisitesMet());

    assertThat(run.exitCode()).as(run.terminal()).isEqualTo(ExitCodes.ESCALATED);
    assertThat(lab.finish().message()).contains("etcd pod is not crashlooping");
    assertThat(etcd.memberIds()).containsKey(SICK);
  }

  @Test
  void withoutAnEtcdBackupNothingChangesAndTheRunAsksForOne() throws Exception {
    setUp(SICK, OpenShiftEtcdObjects.MACHINE_STOPPED);

    CliRun.Finished run =
        replace("--answer", "certificates-valid=yes", "--answer", "backup-taken=no");

    assertThat(run.exitCode()).as(run.terminal()).isEqualTo(ExitCodes.ESCALATED);
    assertThat(lab.finish().message())
        .startsWith("take an etcd backup first (chapter 1, runbook OCP-ETCD-BACKUP)");
    assertThat(lab.finished("succeeded")).doesNotContain("machine-not-running@1");
    assertThat(objectRequests()).allMatch(r -> r.startsWith("GET "));
    assertThat(etcd.memberIds()).containsKey(SICK);
  }

  @Test
  void invalidControlPlaneCertificatesHandOffToTheirRecoveryRunbook() throws Exception {
    setUp(SICK, OpenShiftEtcdObjects.POD_CRASHLOOPING);

    CliRun.Finished run = replace("--answer", "certificates-valid=no");

    assertThat(run.exitCode()).as(run.terminal()).isEqualTo(ExitCodes.ESCALATED);
    assertThat(lab.finish().message()).contains("runbook OCP-CERT-RECOVERY");
    assertThat(objectRequests()).allMatch(r -> r.startsWith("GET "));
    assertThat(etcd.memberIds()).containsKey(SICK);
    Cli show = Cli.run("show", "OCP-CERT-RECOVERY");
    assertThat(show.exitCode()).as("the runbook it hands off to exists").isZero();
  }

  @Test
  void everyMemberAvailableByTheOperatorEndsBeforeEtcdIsAsked() throws Exception {
    setUp(null, OpenShiftEtcdObjects.NOTHING_VISIBLE);

    CliRun.Finished run = replace();

    assertThat(run.exitCode()).as(run.terminal()).isEqualTo(ExitCodes.OK);
    assertThat(lab.finish().message())
        .isEqualTo("no unhealthy etcd member: EtcdMembersAvailable names none");
    assertThat(lab.commands()).hasSize(1);
  }
}
