package dev.runbook.engine.validate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runbook.engine.model.ParamSpec;
import dev.runbook.engine.model.ParamType;
import dev.runbook.engine.model.Position;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Each type's rule, and each refusal's whole message: the first line against bad values. */
class ParamValuesTest {

  private static ParamSpec spec(ParamType type) {
    return spec(type, false, null, List.of());
  }

  private static ParamSpec spec(
      ParamType type, boolean secret, String pattern, List<String> values) {
    return new ParamSpec(
        "P", type, true, null, secret, null, values, pattern, Position.start("t"), null);
  }

  private static Optional<String> problem(ParamType type, String value) {
    return ParamValues.problem(spec(type), value);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "n",
        "node-1",
        "node-1.example.com",
        "node-1.example.com.",
        "NODE_1",
        "10.0.0.1",
        "::1",
        "[::1]",
        "fe80::1:2",
        "2001:db8::8a2e:370:7334"
      })
  void hostsThatAreNamesOrAddresses(String host) {
    assertThat(problem(ParamType.HOST, host)).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"", "-oProxyCommand=x", "node-", ".node", "a b", "a;b", "a$(b)", "node/1", "x.."})
  void hostsThatAreNot(String host) {
    assertThat(problem(ParamType.HOST, host))
        .contains(
            "is not a host name or address (letters, digits, '.', '-', ':' only, not starting with"
                + " '-')");
  }

  @Test
  void aHostNameHasAtMost254Characters() {
    assertThat(problem(ParamType.HOST, "a".repeat(254))).isEmpty();
    assertThat(problem(ParamType.HOST, "a".repeat(255))).isPresent();
    assertThat(problem(ParamType.HOST, "a".repeat(254) + ".")).isEmpty();
  }

  @Test
  void anIpv6AddressHasAtMost47Characters() {
    String address = "1:".repeat(22);
    assertThat(problem(ParamType.HOST, "[" + address + "1]")).isEmpty(); // 47
    assertThat(problem(ParamType.HOST, "[" + address + "11]")).isPresent(); // 48
  }

  @Test
  void hostListsAreCheckedHostByHost() {
    assertThat(problem(ParamType.HOSTS, "a, b,c")).isEmpty();
    assertThat(problem(ParamType.HOSTS, "")).isEmpty();
    assertThat(problem(ParamType.HOSTS, " ")).isEmpty();
    assertThat(problem(ParamType.HOSTS, "a,-b"))
        .contains(
            "holds '-b', which is not a host name or address (letters, digits, '.', '-', ':' only,"
                + " not starting with '-')");
    assertThat(problem(ParamType.HOSTS, "a,,b")).get().asString().startsWith("holds '', which");
    assertThat(problem(ParamType.HOSTS, "a,")).isPresent();
  }

  @Test
  void pathsMayNotBeEmptyOrStartWithADash() {
    assertThat(problem(ParamType.PATH, "/opt/x y")).isEmpty();
    assertThat(problem(ParamType.PATH, "rel/x-")).isEmpty();
    assertThat(problem(ParamType.PATH, "")).contains("is empty; give a path");
    assertThat(problem(ParamType.PATH, "-rf"))
        .contains("starts with '-', which a command could read as an option; write ./-rf");
  }

  @Test
  void numbersBooleansAndDurations() {
    assertThat(problem(ParamType.INT, "-42")).isEmpty();
    assertThat(problem(ParamType.INT, "4.2")).contains("must be a whole number");
    assertThat(problem(ParamType.INT, "1; rm")).contains("must be a whole number");
    assertThat(problem(ParamType.BOOL, "true")).isEmpty();
    assertThat(problem(ParamType.BOOL, "false")).isEmpty();
    assertThat(problem(ParamType.BOOL, "yes")).contains("must be true or false");
    assertThat(problem(ParamType.DURATION, "1h30m")).isEmpty();
    assertThat(problem(ParamType.DURATION, "soon"))
        .contains("is not a duration; write it like 30s, 5m, 1h30m");
  }

  @Test
  void enumsTakeTheirValuesAndSuggestTheNearest() {
    ParamSpec spec = spec(ParamType.ENUM, false, null, List.of("active", "standby"));
    assertThat(ParamValues.problem(spec, "standby")).isEmpty();
    assertThat(ParamValues.problem(spec, "standbi"))
        .contains("must be one of active, standby (did you mean 'standby'?)");
  }

  @Test
  void stringsAndTargetsMatchTheirWholePattern() {
    ParamSpec spec = spec(ParamType.STRING, false, "[a-z]+", List.of());
    assertThat(ParamValues.problem(spec, "abc")).isEmpty();
    assertThat(ParamValues.problem(spec, "abc1")).contains("does not match the pattern [a-z]+");
    assertThat(ParamValues.problem(spec(ParamType.TARGET, false, "[a-z]+", List.of()), "1"))
        .contains("does not match the pattern [a-z]+");
    assertThat(ParamValues.problem(spec(ParamType.STRING), "anything at all")).isEmpty();
    assertThat(ParamValues.problem(spec(ParamType.STRING, false, "(", List.of()), "x"))
        .contains("cannot be checked: the pattern ( is not valid");
  }

  @ParameterizedTest
  @ValueSource(strings = {"a\nb", "a\0b", "a\rb", "a\u001bb", "a\u007fb", "\u0001"})
  void noPlainValueHoldsAControlCharacter(String value) {
    assertThat(problem(ParamType.STRING, value))
        .contains("holds a control character (newline, NUL …), which no string value may");
    assertThat(problem(ParamType.PATH, value)).get().asString().contains("no path value may");
  }

  @Test
  void aTabIsNotAControlCharacterHere() {
    assertThat(problem(ParamType.STRING, "a\tb")).isEmpty();
  }

  @Test
  void secretsMaySpanLinesButNotBeShortOrHoldNul() {
    ParamSpec secret = spec(ParamType.STRING, true, null, List.of());
    assertThat(ParamValues.problem(secret, "-----BEGIN KEY-----\nabc\n-----END KEY-----"))
        .isEmpty();
    assertThat(ParamValues.problem(secret, "abcdef")).isEmpty();
    assertThat(ParamValues.problem(secret, "abcde"))
        .contains(
            "is 5 characters long; a secret that short cannot be masked in output without hiding"
                + " unrelated text, and is easy to guess: use at least 6");
    assertThat(ParamValues.problem(secret, "abcdefg\0"))
        .contains("holds a NUL byte, which no command can receive");
    assertThat(ParamValues.problem(spec(ParamType.STRING, true, "[a-z]+", List.of()), "abcdef1"))
        .contains("does not match the pattern [a-z]+");
    assertThat(ParamValues.SHORTEST_SECRET).isEqualTo(6);
  }
}
