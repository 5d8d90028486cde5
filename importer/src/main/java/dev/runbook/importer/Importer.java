package dev.runbook.importer;

import dev.runbook.importer.document.Document;
import dev.runbook.importer.document.DocumentBuilder;
import dev.runbook.importer.document.Edition;
import dev.runbook.importer.draft.Flow;
import dev.runbook.importer.draft.RunbookDraft;
import dev.runbook.importer.draft.StepDraft;
import dev.runbook.importer.map.RunbookMapper;
import dev.runbook.importer.read.DocumentFormat;
import dev.runbook.importer.write.YamlWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Imports vendor documents: read the file, understand it as a {@link Document}, map it to a
 * runbook, write the YAML. Thread-safe; holds no state between documents.
 */
public final class Importer {

  /** Files larger than this are not vendor procedures. */
  static final long MAX_BYTES = 4L * 1024 * 1024;

  private final Edition edition;

  /**
   * @param edition the edition every document is for, or null to read it from each document
   */
  public Importer(Edition edition) {
    this.edition = edition;
  }

  /**
   * The documents the arguments name: a file as given, a directory as every {@code .rst}, {@code
   * .md} and {@code .txt} file under it, in name order.
   *
   * @throws ImportException for an argument that does not exist or names a file of no known format
   */
  public static List<Path> documents(List<Path> arguments) throws ImportException {
    List<Path> out = new ArrayList<>();
    for (Path argument : arguments) {
      if (Files.isDirectory(argument)) {
        try (Stream<Path> walk = Files.walk(argument)) {
          walk.filter(Files::isRegularFile)
              .filter(p -> DocumentFormat.of(p.getFileName().toString()) != null)
              .sorted()
              .forEach(out::add);
        } catch (IOException | UncheckedIOException e) {
          throw new ImportException(argument + ": cannot read the directory: " + e.getMessage());
        }
      } else if (Files.exists(argument)) {
        out.add(argument);
      } else {
        throw new ImportException(argument + ": no such file or directory");
      }
    }
    return out;
  }

  /** Imports one document. */
  public ImportedRunbook importFile(Path file) throws ImportException {
    String name = file.getFileName().toString();
    DocumentFormat format = DocumentFormat.of(name);
    if (format == null) {
      throw new ImportException(
          file
              + ": not a document this reads (give .rst for reStructuredText, .md for Markdown or .txt for plain text)");
    }
    String text = read(file);
    return importText(file, format, text);
  }

  /** Imports a document's text. */
  public ImportedRunbook importText(Path file, DocumentFormat format, String text)
      throws ImportException {
    if (text.isBlank()) {
      throw new ImportException(file + ": the document is empty");
    }
    Document document =
        DocumentBuilder.build(file.getFileName().toString(), format, format.read(text), edition);
    RunbookDraft draft = RunbookMapper.map(document);
    return new ImportedRunbook(
        file,
        draft.id(),
        YamlWriter.write(draft),
        draft.steps().size(),
        edges(draft),
        draft.todoCount());
  }

  private static String read(Path file) throws ImportException {
    try {
      if (Files.size(file) > MAX_BYTES) {
        throw new ImportException(
            file + ": larger than " + MAX_BYTES / (1024 * 1024) + " MB: not a vendor procedure");
      }
      byte[] bytes = Files.readAllBytes(file);
      String text =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(bytes))
              .toString();
      return text.startsWith("\ufeff") ? text.substring(1) : text;
    } catch (CharacterCodingException e) {
      throw new ImportException(file + ": not UTF-8 text");
    } catch (IOException e) {
      throw new ImportException(file + ": cannot read: " + e.getMessage());
    }
  }

  /** The yes/no branches that lead from one step of the document to another. */
  private static int edges(RunbookDraft draft) {
    Map<String, String> refs = new HashMap<>();
    draft.steps().forEach(s -> refs.put(s.id(), s.ref()));
    int edges = 0;
    for (StepDraft s : draft.steps()) {
      for (Flow f : new Flow[] {s.yes(), s.no()}) {
        if (f instanceof Flow.ToStep to
            && refs.get(to.id()) != null
            && !refs.get(to.id()).equals(s.ref())) {
          edges++;
        }
      }
    }
    return edges;
  }
}
