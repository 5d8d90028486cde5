package dev.runbook.importer.map;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runbook.importer.map.CommandSafety.Verdict;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Read-only only when shown to be: the allow-list, the options that write, and the rest. */
class CommandSafetyTest {

  @ParameterizedTest
  @ValueSource(
      strings = {
        "df -h",
        "df -lmPT | awk '$2 != \"iso9660\"' | grep '^/dev/' | sort -u -k 1,1",
        "ls -l /proc/net/bonding",
        "cat /proc/sys/net/ipv4/ip_local_port_range |cut -f 1",
        "ps -ef | grep 'clickhouse-ugsync'",
        "lsof -n | grep deleted | wc -l",
        "netstat -tnp|sort",
        "ss -ant 2>/dev/null | grep -v LISTEN",
        "openssl x509 -noout -text -in ${CONTROLLER_HOME}/security/certHA/root-ca.crt",
        "chage -l omm",
        "crontab -l",
        "echo ${BIGDATA_DATA_HOME}/dbdata_om",
        "cd /opt/x && ls",
        "grep '>' /var/log/messages",
        "find / -xdev -size +500M",
        "systemctl status sshd",
        "sysctl net.ipv4.ip_local_port_range",
        "du -sh /tmp 2>&1"
      })
  void readOnly(String command) {
    assertThat(CommandSafety.judge(command).verdict()).as(command).isEqualTo(Verdict.READ_ONLY);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "netstat -tnp |sort > $BIGDATA_HOME/tmp/port_result.txt",
        "ps -ef >> /tmp/ps.txt",
        "rm -rf /tmp/x",
        "kill -9 1234",
        "chmod 600 /etc/x",
        "sh proceed_ha_ssl_cert.sh",
        "./status-oms.sh",
        "bash ${CONTROLLER_HOME}/security/cert/conf/querycertvalidity.sh",
        "source bigdata_env",
        "sed -i 's/a/b/' /etc/x",
        "sort -o out.txt in.txt",
        "find / -name core -delete",
        "find / -xdev -size +500M -execls -l {} \\;",
        "find / -exec rm {} \\;",
        "sysctl -p /etc/sysctl.conf",
        "sysctl -w net.ipv4.ip_forward=1",
        "chage -M 90 omm",
        "ls $(rm -rf /tmp/x)",
        "cat `whoami`",
        "awk '{\"readlink -m \"$1 | getline real}'",
        "openssl x509 -in a.crt -out b.crt",
        "systemctl restart sshd",
        "echo 1 > /proc/sys/vm/drop_caches",
        "date -s 2024-01-01",
        "mkdir -p /srv/relay\nls -ld /srv/relay",
        "ls 'unclosed"
      })
  void changes(String command) {
    assertThat(CommandSafety.judge(command).verdict()).as(command).isEqualTo(Verdict.CHANGES);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "vi keyfile",
        "vim /etc/sysctl.conf",
        "less /var/log/x",
        "tail -f /var/log/x",
        "clickhouse client --host 10.0.0.1",
        "kinit admin",
        "crontab -e",
        "ls | less"
      })
  void interactive(String command) {
    assertThat(CommandSafety.judge(command).verdict()).as(command).isEqualTo(Verdict.INTERACTIVE);
  }

  @Test
  void toolsThatWaitForAPersonAreMadeToRunOnce() {
    assertThat(CommandSafety.judge("ping 10.0.0.1").command()).isEqualTo("ping -c 4 10.0.0.1");
    assertThat(CommandSafety.judge("ping 10.0.0.1").verdict()).isEqualTo(Verdict.READ_ONLY);
    assertThat(CommandSafety.judge("ping -c 2 10.0.0.1").command()).isEqualTo("ping -c 2 10.0.0.1");
    assertThat(CommandSafety.judge("top").command()).isEqualTo("top -b -n 1");
    assertThat(CommandSafety.judge("ll /opt").command()).isEqualTo("ls -l /opt");
    assertThat(CommandSafety.judge("ll /opt").verdict()).isEqualTo(Verdict.READ_ONLY);
  }
}
