package dev.runbook.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import dev.runbook.engine.library.RunbookLibrary;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/** The JSON Schema editors use agrees with the runbooks `runbook validate` accepts. */
class RunbookSchemaTest {

  @Test
  void everyShippedRunbookMatchesTheSchema() throws IOException {
    JsonSchema schema;
    try (InputStream in = Files.newInputStream(Cli.LIBRARY.resolve("runbook.schema.json"))) {
      schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(in);
    }
    List<Path> files = RunbookLibrary.files(List.of(Cli.LIBRARY));
    assertThat(files).hasSizeGreaterThanOrEqualTo(2);
    ObjectMapper mapper = new ObjectMapper();
    for (Path file : files) {
      Object yaml = new Load(LoadSettings.builder().build()).loadFromString(Files.readString(file));
      JsonNode json = mapper.valueToTree(yaml);
      Set<ValidationMessage> messages = schema.validate(json);
      assertThat(messages).as(file.toString()).isEmpty();
    }
  }
}
