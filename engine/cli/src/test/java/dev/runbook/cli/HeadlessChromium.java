package dev.runbook.cli;

import java.awt.image.BufferedImage;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;

/**
 * The real Chromium (Debian's {@code chromium}), headless, opening a file: its DOM, a screenshot,
 * and the page's console messages. Console messages are read from Chromium's own log on stderr
 * ({@code --enable-logging=stderr --v=0} prints each as {@code INFO:CONSOLE(…)}: a script error, a
 * Content-Security-Policy violation such as a blocked network load), so no remote-debugging port is
 * opened. Every run is bounded by a deadline.
 */
final class HeadlessChromium {

  /** What one run of Chromium gave. */
  record Result(String stdout, List<String> console) {}

  private final Path profile;

  HeadlessChromium(Path scratch) throws IOException {
    this.profile = Files.createDirectories(scratch.resolve("chromium-profile"));
  }

  static boolean installed() {
    return Files.isExecutable(Path.of("/usr/bin/chromium"));
  }

  Result dumpDom(Path page) throws IOException, InterruptedException {
    return run(List.of("--dump-dom", page.toUri().toString()));
  }

  Result screenshot(Path page, Path png, int width, int height)
      throws IOException, InterruptedException {
    return run(
        List.of(
            "--window-size=" + width + "," + height,
            "--hide-scrollbars",
            "--screenshot=" + png,
            page.toUri().toString()));
  }

  private Result run(List<String> args) throws IOException, InterruptedException {
    List<String> command =
        new ArrayList<>(
            List.of(
                "chromium",
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--user-data-dir=" + profile,
                "--enable-logging=stderr",
                "--v=0"));
    command.addAll(args);
    Path out = Files.createTempFile(profile.getParent(), "chromium", ".out");
    Path err = Files.createTempFile(profile.getParent(), "chromium", ".err");
    Process process =
        new ProcessBuilder(command)
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
            .redirectOutput(out.toFile())
            .redirectError(err.toFile())
            .start();
    if (!process.waitFor(120, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      process.waitFor(10, TimeUnit.SECONDS);
      throw new AssertionError("chromium did not finish within 120 s: " + command);
    }
    if (process.exitValue() != 0) {
      throw new AssertionError(
          "chromium exited " + process.exitValue() + ": " + Files.readString(err));
    }
    List<String> console =
        Files.readAllLines(err, StandardCharsets.UTF_8).stream()
            .filter(line -> line.contains(":CONSOLE"))
            .toList();
    return new Result(Files.readString(out, StandardCharsets.UTF_8), console);
  }

  /**
   * How varied a screenshot is: distinct colours, and the share of pixels that are not the
   * background's. A blank or failed page is one colour.
   */
  record Pixels(int width, int height, int colours, double notBackground) {}

  static Pixels pixels(Path png) throws IOException {
    BufferedImage image = ImageIO.read(png.toFile());
    int background = image.getRGB(0, 0);
    Set<Integer> colours = new HashSet<>();
    long other = 0;
    for (int y = 0; y < image.getHeight(); y += 2) {
      for (int x = 0; x < image.getWidth(); x += 2) {
        int rgb = image.getRGB(x, y);
        colours.add(rgb);
        if (rgb != background) {
          other++;
        }
      }
    }
    long sampled = (long) ((image.getHeight() + 1) / 2) * ((image.getWidth() + 1) / 2);
    return new Pixels(
        image.getWidth(), image.getHeight(), colours.size(), other / (double) sampled);
  }
}
