package dev.runbook.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runbook.engine.audit.AuditEvent;
import dev.runbook.engine.audit.AuditTrail;
import dev.runbook.engine.audit.RunDirectory;
import dev.runbook.engine.audit.RunSummary;
import dev.runbook.fixtures.TestCertificates;
import dev.runbook.fixtures.kubernetes.KubeRequest;
import dev.runbook.fixtures.kubernetes.KubernetesFixture;
import dev.runbook.fixtures.kubernetes.KubernetesFixtureExtension;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A runbook with a {@code kubectl:} target, run by the real CLI and the real kubectl against the
 * Kubernetes mock fixture (fabric8's CRUD mock, not a real API server): the engine opens the
 * plugin's kubectl transport, and conditions read {@code result.json} and decoded secret data.
 */
@ExtendWith(KubernetesFixtureExtension.class)
class KubectlRunbookAgainstKubernetesMockFixtureIT {

  private static final String PEM =
      "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";

  private static final String RUNBOOK =
      """
      runbook: ERLCLU-CA
      title: the erlclu CA is in its secret and the node runs
      params:
        Kubeconfig: {type: path, required: true}
      targets:
        cluster: {kubectl: {kubeconfig: "${params.Kubeconfig}", context: fixture, namespace: erlclu}}
      steps:
        - id: node-running
          on: cluster
          kubectl: {command: get pod erlclu-0, output: json}
          if: result.json.status.phase == "Running"
          yes: read-ca
          no: {end: escalated, message: erlclu-0 is not running}
        - id: read-ca
          on: cluster
          kubectl: {args: [get, secret, erlclu-ca], output: json}
          if: result.data["ca.crt"].startsWith("-----BEGIN CERTIFICATE-----")
          yes: {end: resolved, message: the CA is in its secret}
          no: {end: escalated, message: no CA in the secret}
      """;

  @TempDir Path tmp;
  private KubernetesFixture fixture;
  private Path runbooks;

  @BeforeEach
  void start(KubernetesFixture fixture) throws IOException {
    this.fixture = fixture;
    ErlcluCluster.runningPod(fixture);
    fixture.create(
        "/api/v1/namespaces/erlclu/secrets",
        "{\"apiVersion\":\"v1\",\"kind\":\"Secret\",\"metadata\":{\"name\":\"erlclu-ca\","
            + "\"namespace\":\"erlclu\"},\"data\":{\"ca.crt\":\""
            + Base64.getEncoder().encodeToString(PEM.getBytes())
            + "\"}}");
    runbooks = Files.createDirectories(tmp.resolve("runbooks"));
    Files.writeString(runbooks.resolve("erlclu-ca.yaml"), RUNBOOK);
  }

  /**
   * {@code run RUNBOOK} with the fixture's kubeconfig, for a child JVM: kubectl's discovery cache
   * then goes to the test's directory, not $HOME.
   */
  private CliRun run(String runbook) {
    return CliRun.state(tmp.resolve("state"))
        .runbooks(runbooks)
        .run(runbook)
        .param("Kubeconfig", fixture.kubeconfig())
        .env("KUBECACHEDIR", tmp.resolve("cache").toString());
  }

  @Test
  void conditionsReadTheJsonAndTheDecodedSecret() throws Exception {
    Path state = tmp.resolve("state");
    CliRun.Finished run = run("ERLCLU-CA").inChild(tmp);
    assertThat(run.exitCode()).as(run.terminal()).isZero();

    assertThat(fixture.objectRequests())
        .extracting(KubeRequest::line)
        .containsExactly(
            "GET /api/v1/namespaces/erlclu/pods/erlclu-0",
            "GET /api/v1/namespaces/erlclu/secrets/erlclu-ca");
    List<RunDirectory> runs = RunSummary.runs(state);
    assertThat(AuditTrail.read(runs.get(0)).events())
        .filteredOn(e -> e instanceof AuditEvent.CommandRendered)
        .extracting(e -> ((AuditEvent.CommandRendered) e).command())
        .containsExactly(
            "kubectl --kubeconfig="
                + fixture.kubeconfig()
                + " --context=fixture"
                + " --namespace=erlclu --request-timeout=30s get pod erlclu-0 -o json",
            "kubectl --kubeconfig="
                + fixture.kubeconfig()
                + " --context=fixture"
                + " --namespace=erlclu --request-timeout=30s get secret erlclu-ca -o json");
  }

  @Test
  void aDryRunShowsTheKubectlCommandsAndSendsNothing() {
    Cli cli =
        Cli.runRaw(
            "--runbooks",
            runbooks.toString(),
            "run",
            "ERLCLU-CA",
            "--dry-run",
            "-p",
            "Kubeconfig=" + fixture.kubeconfig());

    assertThat(cli.exitCode()).as(cli.err()).isZero();
    assertThat(cli.out())
        .contains(
            "kubectl --kubeconfig="
                + fixture.kubeconfig()
                + " --context=fixture --namespace=erlclu --request-timeout=30s get pod erlclu-0 -o"
                + " json");
    assertThat(fixture.requests()).isEmpty();
  }

  private static final String SECRET_RUNBOOK =
      """
      runbook: ERLCLU-CA-KEY
      title: read the CA key pair from its secret
      params:
        Kubeconfig: {type: path, required: true}
      targets:
        cluster: {kubectl: {kubeconfig: "${params.Kubeconfig}", context: fixture, namespace: erlclu}}
      steps:
        - id: read-key-pair
          on: cluster
          kubectl: {command: get secret erlclu-ca-key-pair, output: json}
          if: result.data["tls.key"].startsWith("-----BEGIN PRIVATE KEY-----")
          yes: read-key-bare
          no: {end: escalated, message: no key in the secret}
        - id: read-key-bare
          on: cluster
          kubectl: get secret erlclu-ca-key-pair -o jsonpath={.data.tls\\\\.key}
          if: result.stdout.size() > 100
          yes: {end: resolved, message: the key pair is in its secret}
          no: {end: escalated, message: jsonpath printed no key}
      """;

  @Test
  void aSecretsKeyReachesConditionsButNeverTheTrailOrTheTerminal() throws Exception {
    TestCertificates.Issued ca = TestCertificates.ca("CN=erlclu CA").issue();
    String key = ca.privateKeyPem();
    String keyBase64 = Base64.getEncoder().encodeToString(key.getBytes());
    String certBase64 = Base64.getEncoder().encodeToString(ca.pem().getBytes());
    fixture.create(
        "/api/v1/namespaces/erlclu/secrets",
        "{\"apiVersion\":\"v1\",\"kind\":\"Secret\",\"type\":\"kubernetes.io/tls\","
            + "\"metadata\":{\"name\":\"erlclu-ca-key-pair\",\"namespace\":\"erlclu\"},"
            + "\"data\":{\"tls.crt\":\""
            + certBase64
            + "\",\"tls.key\":\""
            + keyBase64
            + "\"}}");
    Files.writeString(runbooks.resolve("erlclu-ca-key.yaml"), SECRET_RUNBOOK);
    Path state = tmp.resolve("state");
    CliRun.Finished run = run("ERLCLU-CA-KEY").inChild(tmp);
    String terminal = run.terminal();
    // Resolved: both conditions saw the real key.
    assertThat(run.exitCode()).as(terminal).isZero();

    String recorded = everythingUnder(state);
    List<String> keyLines =
        key.lines().filter(l -> !l.startsWith("-----")).map(String::strip).toList();
    for (String secret : concat(keyLines, List.of(keyBase64))) {
      assertThat(recorded).as("the trail").doesNotContain(secret);
      assertThat(terminal).as("the terminal").doesNotContain(secret);
    }
    // The certificate is public and stays readable, so the trail shows which CA was found.
    assertThat(recorded).contains(certBase64);
    assertThat(recorded).contains("****");
    assertThat(fixture.objectRequests())
        .extracting(KubeRequest::line)
        .containsExactly(
            "GET /api/v1/namespaces/erlclu/secrets/erlclu-ca-key-pair",
            "GET /api/v1/namespaces/erlclu/secrets/erlclu-ca-key-pair");
  }

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }

  /** Every byte of every file under the state directory, as text. */
  private static String everythingUnder(Path state) throws IOException {
    StringBuilder all = new StringBuilder();
    try (Stream<Path> files = Files.walk(state)) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        all.append(new String(Files.readAllBytes(file), StandardCharsets.UTF_8));
      }
    }
    return all.toString();
  }
}
