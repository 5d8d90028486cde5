package dev.runbook.engine.expr;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runbook.engine.expr.CommandShape.Role;
import dev.runbook.engine.expr.CommandShape.Role.Kind;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Which word of a command another program parses as code. Each case is a command line (words split
 * on spaces, {@code ?} a word that is not literal) and the index of the word that is code, with who
 * parses it and whether this run's environment reaches that parser.
 */
class CommandShapeTest {

  private static CommandShape shape(String line) {
    List<String> words = new ArrayList<>();
    for (String word : line.split(" ")) {
      words.add(word.equals("?") ? null : word);
    }
    return CommandShape.of(words);
  }

  /** The indexes of the words that are code, and the stdin role, as one text. */
  private static String code(String line) {
    CommandShape shape = shape(line);
    List<String> found = new ArrayList<>();
    for (int i = 0; i < line.split(" ").length + 1; i++) {
      Role role = shape.role(i);
      if (role.isCode()) {
        found.add(i + ":" + describe(role));
      }
    }
    Role stdin = shape.stdin();
    if (stdin.isCode()) {
      found.add("stdin:" + describe(stdin));
    }
    return String.join(" ", found);
  }

  private static String describe(Role role) {
    return (role.isShell() ? "sh" : "other")
        + (role.environmentReaches() ? "+env" : "")
        + "("
        + role.what()
        + ")";
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        // shells
        "sh -c X|2:sh+env(`sh -c`)",
        "/bin/bash -c X Y|2:sh+env(`bash -c`)",
        "bash -x -c X|3:sh+env(`bash -c`)",
        "sh -ec X|2:sh+env(`sh -c`)",
        "sh -o pipefail -c X|4:sh+env(`sh -c`)",
        "bash +o posix -c X|4:sh+env(`bash -c`)",
        "bash --norc -c X|3:sh+env(`bash -c`)",
        "bash --rcfile f -c X|4:sh+env(`bash -c`)",
        "bash -c|",
        "sh script.sh X|",
        "sh -- script.sh|",
        "sh - X|",
        "sh|stdin:sh+env(sh)",
        "sh -s|stdin:sh+env(sh)",
        "sh +x|stdin:sh+env(sh)",
        "sh ? -c X|",
        "A=1 B=2 sh -c X|4:sh+env(`sh -c`)",
        "=1 sh -c X|",
        "1A=x sh -c X|",
        "? sh -c X|",
        "busybox sh -c X|3:sh+env(`sh -c`)",
        "builtin eval X|2:sh+env(eval)",
        // wrappers
        "sudo sh -c X|3:sh(`sh -c`)",
        "sudo -u omm sh -c X|5:sh(`sh -c`)",
        "sudo -E sh -c X|4:sh+env(`sh -c`)",
        "sudo -E -u omm sh -c X|6:sh+env(`sh -c`)",
        "sudo -u omm -E sh -c X|6:sh(`sh -c`)",
        "sudo --preserve-env=A sh -c X|4:sh+env(`sh -c`)",
        "sudo ? -E sh -c X|",
        "doas -u omm sh -c X|5:sh(`sh -c`)",
        "env A=1 sh -c X|4:sh+env(`sh -c`)",
        "env -u A sh -c X|5:sh+env(`sh -c`)",
        "env -i sh -c X|4:sh(`sh -c`)",
        "env --ignore-environment sh -c X|4:sh(`sh -c`)",
        "env -S X Y|1:sh(env -S) 2:sh(env -S) 3:sh(env -S)",
        "env --split-string=X|1:sh(env -S)",
        "timeout 5 sh -c X|4:sh+env(`sh -c`)",
        "timeout -s KILL 5 sh -c X|",
        "nice -n 5 sh -c X|5:sh+env(`sh -c`)",
        "nohup sh -c X|3:sh+env(`sh -c`)",
        "exec -a name sh -c X|5:sh+env(`sh -c`)",
        "xargs -I {} sh -c X|5:sh+env(`sh -c`)",
        "xargs -- sh -c X|4:sh+env(`sh -c`)",
        "xargs - sh|",
        "flock /tmp/l -c X|3:sh+env(`flock -c`)",
        "flock -x -w 5 /tmp/l -c X|6:sh+env(`flock -c`)",
        "flock /tmp/l --command X|3:sh+env(`flock -c`)",
        "flock --command=X /tmp/l|1:sh+env(`flock -c`)",
        "flock -cX /tmp/l|1:sh+env(`flock -c`)",
        "flock -c X /tmp/l|2:sh+env(`flock -c`)",
        "flock /tmp/l sh -c X|4:sh+env(`sh -c`)",
        "flock -n -- /tmp/l bash -c X|6:sh+env(`bash -c`)",
        "flock -E 3 /tmp/l sudo sh -c X|7:sh(`sh -c`)",
        "flock ? sh -c X|4:sh+env(`sh -c`)",
        "flock /tmp/l ? -c X|",
        "flock /tmp/l date|",
        "chroot /host sh -c X|4:sh+env(`sh -c`)",
        // su
        "su omm -c X|3:sh+env(`su -c`)",
        "su - omm -c X|4:sh(`su - -c`)",
        "su -l omm -c X|4:sh(`su - -c`)",
        "su --login omm -c X|4:sh(`su - -c`)",
        "su -c X omm|2:sh+env(`su -c`)",
        "su --command X omm|2:sh+env(`su -c`)",
        "su --command=X omm|1:sh+env(`su -c`)",
        "su -cX omm|1:sh+env(`su -c`)",
        "su -s /bin/sh omm -c X|5:sh+env(`su -c`)",
        "su -g grp omm -c X|5:sh+env(`su -c`)",
        "su omm|stdin:sh+env(su)",
        "su - omm|stdin:sh(su)",
        "su ? -c X|3:sh+env(`su -c`)",
        "su -c|stdin:sh+env(su -c)",
        "runuser -u omm -- sh -c X|6:sh+env(`runuser -c`)",
        // eval, watch, ssh, find
        "eval X Y|1:sh+env(eval) 2:sh+env(eval)",
        "watch X|1:sh+env(watch)",
        "watch -n 5 X|3:sh+env(watch)",
        "watch --interval 5 X Y|3:sh+env(watch) 4:sh+env(watch)",
        "watch -x sh -c X|4:sh+env(`sh -c`)",
        "watch -n 5 -x sh -c X|6:sh+env(`sh -c`)",
        "ssh node echo X|2:sh(ssh's remote command) 3:sh(ssh's remote command)",
        "ssh -p 22 node X|4:sh(ssh's remote command)",
        "ssh -v node X|3:sh(ssh's remote command)",
        "ssh -oBatchMode=yes node X|3:sh(ssh's remote command)",
        "ssh node|stdin:sh(ssh)",
        "ssh -p 22 node|stdin:sh(ssh)",
        "ssh ? X|2:sh(ssh's remote command)",
        "find . -exec sh -c X ;|5:sh+env(`sh -c`)",
        "find . -execdir sh -c X + -name y|5:sh+env(`sh -c`)",
        "find . -ok sh -c X|5:sh+env(`sh -c`)",
        "find . -okdir bash -c X ;|5:sh+env(`bash -c`)",
        "find . -name X -print|",
        "find . -exec ? -c X ;|",
        // interpreters
        "awk X f|1:other(the awk program)",
        "awk -F : X f|3:other(the awk program)",
        "awk -v a=b X|3:other(the awk program)",
        "awk --assign=a=b X|2:other(the awk program)",
        "awk -f prog.awk X|",
        "awk --file=prog.awk X|",
        "awk -e X f|2:other(the awk program)",
        "awk -eX f|1:other(the awk program)",
        "awk --source=X f|1:other(the awk program)",
        "awk -- X f|2:other(the awk program)",
        "awk ? f|1:other(the awk program)",
        "awk|stdin:other(the awk program)",
        "sed X f|1:other(the sed script)",
        "sed -n X|2:other(the sed script)",
        "sed -e X f|2:other(the sed script)",
        "sed --expression=X f|1:other(the sed script)",
        "sed -f s.sed f|",
        "perl -e X|2:other(perl)",
        "perl -ne X f|2:other(perl)",
        "perl -lane X f|2:other(perl)",
        "perl -I lib script.pl|",
        "perl -Ilib -e X|3:other(perl)",
        "perl|stdin:other(perl)",
        "perl -w|stdin:other(perl)",
        "python3 -c X|2:other(python's -c program)",
        "python3 -m mod X|",
        "python3 script.py X|",
        "python3 -|",
        "python3|stdin:other(python's -c program)",
        "ruby -e X|2:other(ruby)",
        "node --eval X|2:other(node)",
        "node -p X|2:other(node)",
        "php -r X|2:other(php)",
        "lua -e X|2:other(lua)",
        "Rscript -e X|2:other(Rscript)",
        "expect -c X|2:other(expect)",
        "jq X f|1:other(the jq program (pass values with --arg NAME VALUE))",
        "jq -r X f|2:other(the jq program (pass values with --arg NAME VALUE))",
        "jq --arg n v X f|4:other(the jq program (pass values with --arg NAME VALUE))",
        "jq --argjson n 1 X|4:other(the jq program (pass values with --arg NAME VALUE))",
        "jq --slurpfile n f X|4:other(the jq program (pass values with --arg NAME VALUE))",
        "jq --rawfile n f X|4:other(the jq program (pass values with --arg NAME VALUE))",
        "jq -f prog.jq X|",
        "jq --from-file prog.jq X|",
        "psql -h db -c X|4:other(psql's SQL)",
        "psql --command=X|1:other(psql's SQL)",
        "psql -h db -U me|stdin:other(psql's SQL)",
        "mysql -u me -e X|4:other(mysql's SQL)",
        "bc|stdin:other(bc)",
        "dc -e X|2:other(dc)",
        "ls X|",
        "gawk X|1:other(the awk program)",
        "nodejs -e X|2:other(node)",
        // a command whose last word is an option (or nothing): each scanner stops at the end of
        // the line, and inside find -exec at the `;` that ends the nested command
        "A=1|",
        "A=1 B=2|",
        "busybox|",
        "env A=1|",
        "sudo -n|",
        "nohup|",
        "nice -n 5|",
        "sh --|stdin:sh+env(sh)",
        "sh -c -- X|3:sh+env(`sh -c`)",
        "su omm -c|stdin:sh+env(su)",
        "su - -c|stdin:sh(su - -c)",
        "find . -exec su omm -c ; X|",
        "find . -exec su -c ; X|",
        "ssh -v|stdin:sh(ssh)",
        "ssh -B eth0 node X|4:sh(ssh's remote command)",
        "find . -exec ssh -v ; X|",
        "find . -exec ssh node ; X|",
        "flock -x|",
        "flock /tmp/l -c|",
        "find . -exec flock /tmp/l -c ; X|",
        "find . -name + -exec sh -c X ;|7:sh+env(`sh -c`)",
        "awk --|stdin:other(the awk program)",
        "python3 -c|1:other(python's -c program)",
        "find . -exec python3 -c ; X|4:other(python's -c program)",
        "perl -ne|",
        "find . -exec perl -ne ; X|"
      })
  void codeIsFoundWhereverItHides(String line, String expected) {
    assertThat(code(line)).isEqualTo(expected == null ? "" : expected);
  }

  @Test
  void wordsPastTheEndAreData() {
    CommandShape shape = shape("ls -l");
    assertThat(shape.role(2)).isEqualTo(Role.DATA);
    assertThat(shape.role(99)).isEqualTo(Role.DATA);
    assertThat(shape.stdin()).isEqualTo(Role.DATA);
    assertThat(Role.DATA.kind()).isEqualTo(Kind.DATA);
    assertThat(Role.DATA.isCode()).isFalse();
    assertThat(Role.other("x").isShell()).isFalse();
    assertThat(Role.other("x").isCode()).isTrue();
  }
}
