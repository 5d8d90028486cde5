package dev.runbook.importer.map;

import dev.runbook.importer.draft.Flow;
import dev.runbook.importer.draft.ParamDraft;
import dev.runbook.importer.draft.ProcedureDraft;
import dev.runbook.importer.draft.StepDraft;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The procedures every imported alarm runbook shares: {@code wait-then-check-cleared} ("check
 * whether the alarm is cleared 5 minutes later") and {@code collect-fault-information} (the log
 * download the documents end with). This class is the one place that writes them and the calls of
 * them.
 *
 * <p>The format has no library of shared procedures yet, so {@link #procedures()} writes them
 * inside each runbook that calls them. When the format gains a library file and {@code uses:},
 * {@link #procedures()} returns nothing and the runbook names the library instead; the calls
 * ({@link #waitThenCheckCleared}, {@link #collectFaultInformation}) keep their names and inputs, so
 * no other class changes.
 */
final class SharedProcedures {

  static final String WAIT_THEN_CHECK_CLEARED = "wait-then-check-cleared";
  static final String COLLECT_FAULT_INFORMATION = "collect-fault-information";

  private boolean waitUsed;
  private boolean collectUsed;

  /** A call that waits, then asks whether {@code alarm} is cleared; yes when it is. */
  StepDraft.Kind.Call waitThenCheckCleared(String alarm, String wait) {
    waitUsed = true;
    Map<String, String> with = new LinkedHashMap<>();
    with.put("alarm", alarm);
    with.put("wait", wait);
    return new StepDraft.Kind.Call(WAIT_THEN_CHECK_CLEARED, with);
  }

  /** What a document's log collection asks for. Null fields are left to the defaults. */
  record Collection(String how, String services, String hosts, String window) {}

  /** A call that has a person download the logs the document names. */
  StepDraft.Kind.Call collectFaultInformation(Collection c) {
    collectUsed = true;
    Map<String, String> with = new LinkedHashMap<>();
    with.put("how", c.how());
    if (c.services() != null) {
      with.put("services", c.services());
    }
    if (c.hosts() != null) {
      with.put("hosts", c.hosts());
    }
    if (c.window() != null) {
      with.put("window", c.window());
    }
    return new StepDraft.Kind.Call(COLLECT_FAULT_INFORMATION, with);
  }

  /** The procedures the runbook's calls need, written into the runbook. */
  List<ProcedureDraft> procedures() {
    List<ProcedureDraft> out = new ArrayList<>();
    if (waitUsed) {
      out.add(
          new ProcedureDraft(
              WAIT_THEN_CHECK_CLEARED,
              "Waits as long as the document says, then asks whether the alarm is cleared: yes"
                  + " when it is. Shared by every imported runbook; when an alarm source can"
                  + " answer, this is the one place that changes.",
              List.of(
                  new ParamDraft("alarm", "string", true, null, "The alarm to look for."),
                  new ParamDraft("wait", "duration", false, "0s", "How long to wait first.")),
              List.of(
                  step(
                      "wait",
                      "Wait before looking at the alarm",
                      new StepDraft.Kind.Sleep("${inputs.wait}"),
                      null,
                      null),
                  step(
                      "cleared",
                      "Is the alarm cleared?",
                      new StepDraft.Kind.Ask(
                          "Is alarm ${inputs.alarm} cleared (no longer among the active alarms)?"),
                      new Flow.Return(true),
                      new Flow.Return(false)))));
    }
    if (collectUsed) {
      out.add(
          new ProcedureDraft(
              COLLECT_FAULT_INFORMATION,
              "A person downloads the logs O&M personnel need, as the document says. Shared by"
                  + " every imported runbook; when logs can be collected by an API, this is the"
                  + " one place that changes.",
              List.of(
                  new ParamDraft(
                      "how",
                      "string",
                      true,
                      null,
                      "Where the logs are downloaded, as the document says."),
                  new ParamDraft(
                      "services",
                      "string",
                      false,
                      "the services of the alarm",
                      "What to collect logs of."),
                  new ParamDraft(
                      "hosts", "string", false, "the hosts selected by default", "Which hosts."),
                  new ParamDraft(
                      "window",
                      "string",
                      false,
                      "10 minutes",
                      "How long before and after the alarm.")),
              List.of(
                  step(
                      "download-logs",
                      "Download the logs",
                      new StepDraft.Kind.Manual(
                          "Collect fault information. ${inputs.how}\n"
                              + "Services: ${inputs.services}.\n"
                              + "Hosts: ${inputs.hosts}.\n"
                              + "Start Date and End Date: ${inputs.window} before and after the"
                              + " alarm generation time.\n"
                              + "Download the logs and keep them for O&M personnel."),
                      null,
                      null))));
    }
    return out;
  }

  private static StepDraft step(String id, String title, StepDraft.Kind kind, Flow yes, Flow no) {
    return new StepDraft(id, title, null, kind, null, yes, no, null, List.of(), List.of());
  }
}
