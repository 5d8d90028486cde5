package dev.runbook.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runbook.engine.audit.AuditEvent;
import dev.runbook.engine.audit.AuditTrail;
import dev.runbook.engine.audit.RunSummary;
import dev.runbook.fixtures.OpenSshServer;
import dev.runbook.fixtures.SshLab;
import dev.runbook.fixtures.SshLabExtension;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A fan-out over an inventory host group (-p Hosts=@group) to real sshd hosts. */
@ExtendWith(SshLabExtension.class)
class InventoryFanOutIT {

  @AfterEach
  void forget() {
    System.clearProperty("runbook.ssh.knownHosts");
  }

  @Test
  void aGroupExpandsToItsHostsAndEachStepRunsOnItsOwnHost(SshLab lab) throws IOException {
    List<OpenSshServer> servers = List.of(lab.start(), lab.start(), lab.start());
    System.setProperty("runbook.ssh.knownHosts", lab.knownHosts().toString());
    StringBuilder inventory =
        new StringBuilder(
            "defaults: {user: "
                + lab.user()
                + ", port: "
                + lab.port()
                + ", identity: "
                + lab.key("ed25519")
                + "}\nhosts:\n");
    for (int i = 0; i < servers.size(); i++) {
      inventory
          .append("  node-")
          .append(i + 1)
          .append(": {host: ")
          .append(servers.get(i).address())
          .append("}\n");
    }
    inventory.append("groups:\n  flink: [node-1, node-2, node-3]\n  first: [node-1]\n");
    Path inventoryFile = Files.writeString(lab.dir().resolve("inventory.yaml"), inventory);
    Path runbooks = Files.createDirectories(lab.dir().resolve("runbooks"));
    Files.writeString(
        runbooks.resolve("fan.yaml"),
        """
        runbook: FAN
        title: Uptime on every node of a group
        params: {Hosts: {type: hosts, required: true}}
        targets: {node: {ssh: "${inputs.host}"}}
        procedures:
          check:
            inputs: {host: {type: host, required: true}}
            steps:
              - {id: where, on: node, shell: "echo $SSH_CONNECTION | cut -d' ' -f3"}
        steps:
          - {id: each, foreach: "${params.Hosts}", as: host, parallel: 3, call: check, with: {host: "${host}"}}
        """);
    Path state = lab.dir().resolve("state");
    Cli cli =
        CliRun.state(state)
            .runbooks(runbooks)
            .inventory(inventoryFile)
            .run("FAN")
            .param("Hosts", "@flink")
            .inProcess();
    assertThat(cli.exitCode()).as(cli.out() + cli.err()).isZero();
    List<AuditEvent> events = AuditTrail.read(RunSummary.runs(state).get(0)).events();
    assertThat(events)
        .filteredOn(AuditEvent.RunStarted.class::isInstance)
        .singleElement()
        .satisfies(
            e ->
                assertThat(((AuditEvent.RunStarted) e).params())
                    .containsEntry("Hosts", "node-1,node-2,node-3"));
    for (int i = 0; i < servers.size(); i++) {
      OpenSshServer server = servers.get(i);
      String step = "each@1[" + i + "]/where@1";
      String alias = "node-" + (i + 1);
      assertThat(events)
          .filteredOn(e -> e instanceof AuditEvent.StepFinished f && f.step().equals(step))
          .singleElement()
          .satisfies(
              e -> {
                AuditEvent.StepFinished f = (AuditEvent.StepFinished) e;
                assertThat(f.ranOn())
                    .isEqualTo(
                        lab.user()
                            + "@"
                            + server.address()
                            + ":"
                            + server.port()
                            + " ("
                            + alias
                            + ")");
                assertThat(f.result()).containsEntry("stdout", server.address());
              });
    }
    Cli unknown =
        CliRun.bare()
            .runbooks(runbooks)
            .inventory(inventoryFile)
            .run("FAN")
            .with("--dry-run")
            .param("Hosts", "@flnk")
            .inProcess();
    assertThat(unknown.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(unknown.err())
        .contains("parameter Hosts: no host group 'flnk' in the inventory (did you mean 'flink'?)");
  }
}
