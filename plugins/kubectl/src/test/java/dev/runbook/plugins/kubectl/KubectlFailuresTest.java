package dev.runbook.plugins.kubectl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runbook.api.FailureKind;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The stderr lines kubectl 1.32 prints for each kind of failure, as measured. */
class KubectlFailuresTest {

  private static String classify(int exit, String stderr) {
    return KubectlFailures.classify(exit, stderr, null, "kubectl", "omm@bastion:22")
        .map(Object::toString)
        .orElse("ok");
  }

  @Test
  void serverReasonsDecideTheKind() {
    assertThat(KubectlFailures.kindOf("Error from server (NotFound): pods \"x\" not found"))
        .isEqualTo(FailureKind.NOT_FOUND);
    assertThat(KubectlFailures.kindOf("Error from server (Forbidden): secrets is forbidden: …"))
        .isEqualTo(FailureKind.FORBIDDEN);
    assertThat(KubectlFailures.kindOf("Error from server (Unauthorized): …"))
        .isEqualTo(FailureKind.AUTH);
    assertThat(KubectlFailures.kindOf("Error from server (ServerTimeout): …"))
        .isEqualTo(FailureKind.TIMEOUT);
    assertThat(KubectlFailures.kindOf("Error from server (AlreadyExists): secrets \"x\" exists"))
        .isEqualTo(FailureKind.NON_ZERO_EXIT);
  }

  @Test
  void clientSideLinesDecideTheKind() {
    assertThat(
            KubectlFailures.kindOf(
                "error: You must be logged in to the server (the server has asked for the client"
                    + " to provide credentials)"))
        .isEqualTo(FailureKind.AUTH);
    assertThat(
            KubectlFailures.kindOf(
                "Unable to connect to the server: dial tcp 10.0.0.1:6443: i/o timeout"))
        .isEqualTo(FailureKind.CONNECT);
    assertThat(
            KubectlFailures.kindOf(
                "Unable to connect to the server: net/http: request canceled (Client.Timeout"
                    + " exceeded while awaiting headers)"))
        .isEqualTo(FailureKind.TIMEOUT);
    assertThat(KubectlFailures.kindOf("error: unknown flag: --frobnicate"))
        .isEqualTo(FailureKind.CONFIG);
    assertThat(KubectlFailures.kindOf("error: stat /root/.kube/cfg: no such file or directory"))
        .isEqualTo(FailureKind.CONFIG);
    assertThat(KubectlFailures.kindOf("I1122 05:13:12 some log line")).isNull();
  }

  @Test
  void theFirstLineThatSaysSomethingWinsOverLogNoise() {
    assertThat(
            classify(
                1,
                "E1122 05:13:12.907145 memcache.go:265] \"Unhandled Error\" err=\"couldn't get"
                    + " current server API group list\"\n"
                    + "The connection to the server 127.0.0.1:1 was refused - did you specify the"
                    + " right host or port?\n"))
        .isEqualTo(
            "connect: exited with status 1: The connection to the server 127.0.0.1:1 was refused"
                + " - did you specify the right host or port?");
  }

  @Test
  void aShellThatCannotFindKubectlOverSshSaysHowToInstallIt() {
    assertThat(classify(127, "sh: 1: kubectl: not found\n"))
        .isEqualTo(
            "config: cannot run 'kubectl' on omm@bastion:22 (exited with status 127: sh: 1:"
                + " kubectl: not found); install kubectl (the Kubernetes CLI) on omm@bastion:22, or"
                + " set 'binary' in the target's kubectl: mapping to where it is");
  }

  @Test
  void anExecdCommandsOwnStatus127IsItsOwnFailure() {
    assertThat(classify(127, "sh: etcdctl: not found\ncommand terminated with exit code 127\n"))
        .isEqualTo("non-zero-exit: exited with status 127: command terminated with exit code 127");
  }

  @Test
  void aStatusObjectOnStdoutIsReadFirst() {
    Map<String, Object> status =
        Map.of(
            "kind",
            "Status",
            "status",
            "Failure",
            "reason",
            "NotFound",
            "message",
            "the server could not find the requested resource");
    assertThat(KubectlFailures.classify(1, "", status, "kubectl", "local").orElseThrow().toString())
        .isEqualTo(
            "not-found: exited with status 1: (NotFound) the server could not find the requested"
                + " resource");
  }

  @Test
  void anythingElseIsANonZeroExitWithTheLastLine() {
    assertThat(classify(1, "Warning: something\nerror: no objects passed to apply\n"))
        .isEqualTo("non-zero-exit: exited with status 1: error: no objects passed to apply");
    assertThat(classify(2, "")).isEqualTo("non-zero-exit: exited with status 2");
    assertThat(classify(0, "Warning: deprecated")).isEqualTo("ok");
  }
}
