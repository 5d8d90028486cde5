package dev.runbook.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The dry-runs of the OpenShift etcd runbooks: every step of the document with the exact command it
 * would run, and nothing run or contacted (no cluster, no etcd, no SSH host exists here).
 */
class OpenShiftEtcdDryRunTest {

  @Test
  void backupShowsTheDocumentsScriptRunAsRootOnTheMasterHost() {
    Cli cli =
        Cli.run(
            "run",
            "OCP-ETCD-BACKUP",
            "--dry-run",
            "-p",
            "Kubeconfig=/nonexistent/kubeconfig",
            "-p",
            "Node=ip-10-0-143-125.ec2.internal");

    assertThat(cli.exitCode()).as(cli.err()).isZero();
    assertThat(cli.out())
        .contains("Nothing runs in a dry run")
        .contains(
            "$ oc --kubeconfig=/nonexistent/kubeconfig --request-timeout=30s get proxy cluster -o"
                + " 'jsonpath={.spec.httpProxy}{.spec.httpsProxy}{.spec.noProxy}'")
        .contains(
            "    on core@ip-10-0-143-125.ec2.internal (ssh)  — CHANGES the system\n"
                + "    $ sudo /usr/local/bin/cluster-backup.sh \"${RB_PARAM_BackupDir}\"\n"
                + "      RB_PARAM_BackupDir=/home/core/assets/backup\n")
        .contains("sudo -E /usr/local/bin/cluster-backup.sh \"${RB_PARAM_BackupDir}\"")
        .contains("[1.1 prerequisites]", "[1.1 step 3]", "[1.1 steps 1-2, 4]")
        .doesNotContain("etcdctl", "corpus");
  }

  @Test
  void replaceMemberShowsBothProceduresOfTheDecisionTree() {
    Cli cli =
        Cli.run(
            "run",
            "OCP-ETCD-REPLACE-MEMBER",
            "--dry-run",
            "-p",
            "Kubeconfig=/nonexistent/kubeconfig");

    assertThat(cli.exitCode()).as(cli.err()).isZero();
    assertThat(cli.out())
        .contains("[2.2 step 1]", "[2.3 step 1]", "[2.3 step 2a]", "[2.3 step 2b]", "[2.3 step 3b]")
        .contains("[2.4.1 step 3d] delete-machine", "[2.4.2 step 1] move-manifest")
        .contains(
            "exec -n openshift-etcd '<steps.etcd-pod.stdout>' -- etcdctl member remove"
                + " '<steps.member-id.stdout>'")
        .contains(
            "exec -n openshift-etcd '<steps.etcd-pod.stdout>' -- etcdctl endpoint health --cluster")
        .contains("on core@<steps.unhealthy-member.stdout> (ssh)")
        .contains(
            "$ sudo mkdir /var/lib/etcd-backup\n",
            "$ sudo mv /etc/kubernetes/manifests/etcd-pod.yaml /var/lib/etcd-backup/\n",
            "$ sudo mv /var/lib/etcd/ /tmp\n")
        .contains("[2.1] backup-taken  (question)", "[2] certificates-valid  (question)")
        .contains("[2.4.1 verification step 2] only-two-pods  (decision)")
        .doesNotContain("AddMemberBack", "StartMember", "member add", "corpus")
        .contains(
            "\"forceRedeploymentReason\": \"single-master-recovery-<steps.timestamp.stdout>\"");
  }

  @Test
  void restoreShowsTheDocumentsCommandsOnEachMasterHost() {
    Cli cli =
        Cli.run(
            "run",
            "OCP-ETCD-RESTORE",
            "--dry-run",
            "-p",
            "Kubeconfig=/nonexistent/kubeconfig",
            "-p",
            "RecoveryHost=ip-10-0-143-125.ec2.internal",
            "-p",
            "OtherHosts=ip-10-0-154-194.ec2.internal,ip-10-0-173-171.ec2.internal");

    assertThat(cli.exitCode()).as(cli.err()).isZero();
    assertThat(cli.out())
        .contains(
            "for each of ip-10-0-154-194.ec2.internal, ip-10-0-173-171.ec2.internal, 1 at a time")
        .contains(
            "│     on core@<each host> (ssh)  — CHANGES the system\n"
                + "    │     $ sudo mv /etc/kubernetes/manifests/etcd-pod.yaml /tmp\n")
        .contains("$ sudo crictl ps | grep etcd | grep -v operator")
        .contains("$ sudo mv /var/lib/etcd/ /tmp")
        .contains(
            "    on core@ip-10-0-143-125.ec2.internal (ssh)  — CHANGES the system\n"
                + "    $ sudo -E /usr/local/bin/cluster-restore.sh \"${RB_PARAM_BackupDir}\"\n"
                + "      RB_PARAM_BackupDir=/home/core/backup\n")
        .contains("$ sudo systemctl restart kubelet.service")
        .contains("patch kubescheduler cluster")
        .contains("[5.3.1 step 11] all-masters-joined")
        .doesNotContain("etcdctl snapshot restore", "corpus");
  }
}
