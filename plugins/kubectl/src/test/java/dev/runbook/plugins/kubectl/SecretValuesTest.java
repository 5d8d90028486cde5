package dev.runbook.plugins.kubectl;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.runbook.api.ActionRequest;
import dev.runbook.api.Target;
import dev.runbook.fixtures.TestCertificates;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Which kubectl reads hold secrets back, and which values of their output are masked. */
class SecretValuesTest {

  private static final TestCertificates.Issued CA = TestCertificates.ca("CN=erlclu CA").issue();

  private static KubectlCommand command(String line) {
    return KubectlCommand.of(
        new ActionRequest(
            "s", Map.of("command", line), new Target("c", "kubectl", Map.of()), false),
        false);
  }

  private static String b64(String text) {
    return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void readsOfSecretsAreHeldBackAndOtherCommandsAreNot() {
    assertThat(SecretValues.mayPrint(command("get secret erlclu-ca-key-pair -o json"))).isTrue();
    assertThat(SecretValues.mayPrint(command("get secrets -A"))).isTrue();
    assertThat(SecretValues.mayPrint(command("get secret/erlclu-ca -o yaml"))).isTrue();
    assertThat(SecretValues.mayPrint(command("get pods,secrets"))).isTrue();
    assertThat(SecretValues.mayPrint(command("get -f manifests/ -o json"))).isTrue();
    assertThat(SecretValues.mayPrint(command("get secret erlclu-ca -o name"))).isFalse();
    assertThat(SecretValues.mayPrint(command("get pods -o json"))).isFalse();
    assertThat(SecretValues.mayPrint(command("describe secret erlclu-ca"))).isFalse();
    assertThat(SecretValues.mayPrint(command("delete secret erlclu-ca"))).isFalse();
  }

  @Test
  void jsonMasksEveryDataValueEncodedDecodedAndLineByLineButKeepsCertificates() throws Exception {
    String key = CA.privateKeyPem();
    String secret =
        """
        {"kind":"Secret","metadata":{"name":"erlclu-ca-key-pair"},
         "data":{"tls.crt":"%s","tls.key":"%s","password":"%s"},
         "stringData":{"token":"abc123token"}}
        """
            .formatted(b64(CA.pem()), b64(key), b64("s3cr3t-pw"));
    Object json = new ObjectMapper().readValue(secret, Object.class);

    Set<String> masked = SecretValues.in(json, secret);

    List<String> keyLines =
        key.lines().filter(l -> !l.startsWith("-----")).map(String::strip).toList();
    assertThat(masked)
        .contains(b64(key), key, b64("s3cr3t-pw"), "s3cr3t-pw", "abc123token")
        .containsAll(keyLines)
        .doesNotContain(b64(CA.pem()), CA.pem(), "-----BEGIN PRIVATE KEY-----");
  }

  @Test
  void aListOfSecretsMasksTheValuesOfEach() throws Exception {
    String list =
        """
        {"kind":"List","items":[
          {"kind":"Secret","data":{"a":"%s"}},
          {"kind":"ConfigMap","data":{"b":"not-a-secret"}},
          {"kind":"Secret","data":{"c":"%s"}}]}
        """
            .formatted(b64("first-secret"), b64("second-secret"));

    Set<String> masked = SecretValues.in(new ObjectMapper().readValue(list, Object.class), list);

    assertThat(masked).contains("first-secret", "second-secret").doesNotContain("not-a-secret");
  }

  @Test
  void otherOutputsMaskEveryBase64WordButCertificates() {
    String yaml =
        """
        apiVersion: v1
        data:
          password: %s
          tls.crt: %s
        kind: Secret
        metadata:
          name: erlclu-ca
        type: Opaque
        """
            .formatted(b64("s3cr3t-pw"), b64(CA.pem()));

    Set<String> masked = SecretValues.in(null, yaml);

    assertThat(masked).contains(b64("s3cr3t-pw"), "s3cr3t-pw").doesNotContain(b64(CA.pem()));
    assertThat(masked).doesNotContain("apiVersion", "metadata", "Secret", "Opaque", "erlclu-ca");
    // jsonpath prints one value bare.
    assertThat(SecretValues.in(null, b64("hunter2-hunter2"))).contains("hunter2-hunter2");
  }
}
